import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import { followers, projections } from '../../functions/projections/index.js';
import { Projector } from '../../functions/projections/projector.js';
import { ROLLUP_KEY, statisticsPartition, type StatisticsRollup } from '../../functions/projections/statistics-rollups.js';
import { loadReferential } from '../../functions/referential/load-referential.js';
import { CommandHandler } from '../../functions/shared/command-handler.js';
import { appendEvents } from '../support/ledger-history.js';
import { TestClock } from '../support/memory-deps.js';

const BLOCS = ['RNCP32340BC01', 'RNCP32340BC02'];

describe('a candidate withdrawn, enrolled again, judged and certified, while the feed runs behind on the session', () => {
  it('counts them once, each shard in its order, the candidate’s shard ahead of the session’s', async () => {
    const source = new MemoryEventStore();
    await loadReferential(new CommandHandler(source), new TestClock('2022-01-03T08:00:00.000Z'));
    const session = 'session#s1';
    const enrolled = await appendEvents(source, session, [
      { type: 'SessionScheduled', data: { rncp: 'RNCP32340', centreId: 'x', sessionId: 's1', kind: 'titre', blocs: BLOCS, startsOn: '2022-03-07', endsOn: '2022-03-09' } },
      { type: 'CandidateEnrolled', data: { candidateId: 'c1', route: 'formation_continue', blocs: BLOCS } },
    ]);
    const withdrawn = await appendEvents(source, session, [{ type: 'CandidateWithdrawn', data: { candidateId: 'c1', withdrawnBy: 'centre:x' } }]);
    const judged = await appendEvents(source, session, [
      { type: 'CandidateEnrolled', data: { candidateId: 'c1', route: 'formation_continue', blocs: BLOCS } },
      { type: 'DeliberationFinalised', data: { candidateId: 'c1', outcome: 'ccp', blocs: ['RNCP32340BC01'], finalInterviewHeld: true } },
      { type: 'PvValidated', data: { validatedBy: 'agent-1', validatedOn: '2022-03-10' } },
    ]);
    const certified = await appendEvents(source, 'candidate#c1', [
      { type: 'CandidateRegistered', data: { candidateId: 'c1', registeredBy: 'x' } },
      { type: 'CcpAcquired', data: { candidateId: 'c1', rncp: 'RNCP32340', bloc: 'RNCP32340BC01', acquiredOn: '2022-03-10', via: { kind: 'session', sessionId: 's1' } } },
    ]);
    const readModels = new MemoryReadModelStore();
    const projector = new Projector(source, readModels, projections, followers);
    for await (const c of source.scan()) if (c.stream.startsWith('certification#')) await projector.apply(c);
    // The session's shard has delivered the enrolment; the candidate's shard runs ahead with the CCP.
    await projector.apply(enrolled);
    await projector.apply(certified);
    // Then the session's shard, in order: a record that failed would hold back every record behind it.
    await projector.apply(withdrawn);
    await projector.apply(judged);
    const rollup = await readModels.get<StatisticsRollup>(statisticsPartition('RNCP32340', 2022), ROLLUP_KEY);
    const rebuilt = new MemoryReadModelStore();
    await new Projector(source, rebuilt, projections, followers).replayAll();
    const expected = await rebuilt.get<StatisticsRollup>(statisticsPartition('RNCP32340', 2022), ROLLUP_KEY);
    expect(expected?.doc.tally.enrolled).toBe(1);
    expect(rollup?.doc.tally).toEqual(expected?.doc.tally);
  });
});
