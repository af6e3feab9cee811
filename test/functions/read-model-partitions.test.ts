import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import type { ReadModelStore } from '../../functions/ports/read-model-store.js';
import { centreCandidatesPartition } from '../../functions/projections/centre-candidates.js';
import { centreSessionsPartition } from '../../functions/projections/centre-sessions.js';
import { followers, projections } from '../../functions/projections/index.js';
import { jurorSessionsPartition } from '../../functions/projections/juror-sessions.js';
import { HEADER_KEY } from '../../functions/projections/projection.js';
import { Projector } from '../../functions/projections/projector.js';
import type { LedgerEvent } from '../../events/registry.js';
import { appendEvents } from '../support/ledger-history.js';

const BLOCS = ['RNCP38665BC01', 'RNCP38665BC02'];
const scheduled = (sessionId: string, centreId: string): LedgerEvent => ({
  type: 'SessionScheduled',
  data: { sessionId, rncp: 'RNCP38665', kind: 'titre', blocs: BLOCS, centreId, startsOn: '2025-10-06', endsOn: '2025-10-06' },
});
const jury = (...ids: string[]): LedgerEvent => ({ type: 'JuryConstituted', data: { members: ids.map((jurorId, i) => ({ jurorId, independent: i === 0 })) } });
const enrolled = (candidateId: string): LedgerEvent => ({ type: 'CandidateEnrolled', data: { candidateId, route: 'formation_continue', blocs: BLOCS } });

/** The ledger and its projector (with the rollups), every commit projected as the feed would. */
function ledger() {
  const store = new MemoryEventStore();
  const readModels = new MemoryReadModelStore();
  const writes: string[] = [];
  const recording: ReadModelStore = {
    get: (p, k) => readModels.get(p, k),
    query: (p) => readModels.query(p),
    put: (p, k, doc, position, expected) => {
      writes.push(`${p}|${k}`);
      return readModels.put(p, k, doc, position, expected);
    },
    putAll: (docs) => {
      for (const d of docs) writes.push(`${d.partition}|${d.key}`);
      return readModels.putAll(docs);
    },
  };
  const projector = new Projector(store, recording, projections, followers);
  const append = async (stream: string, events: LedgerEvent[]) => projector.apply(await appendEvents(store, stream, events));
  const lines = async (partition: string) => (await readModels.query<{ sessionId?: string; candidateId?: string } | null>(partition)).flatMap((d) => (d.doc ? [d.key] : []));
  return { readModels, append, writes, lines };
}

describe('read models keyed by what is read: partitions, not filters', () => {
  it("a centre's sessions, a juror's sessions and a centre's candidates are each one partition", async () => {
    const L = ledger();
    await L.append('session#s1', [scheduled('s1', 'x'), jury('j1', 'j2')]);
    await L.append('session#s2', [scheduled('s2', 'y'), jury('j2', 'j3')]);
    await L.append('session#s3', [scheduled('s3', 'x')]);
    await L.append('candidate#c1', [{ type: 'CandidateRegistered', data: { candidateId: 'c1', registeredBy: 'x' } }]);
    await L.append('candidate#c2', [{ type: 'CandidateRegistered', data: { candidateId: 'c2', registeredBy: 'y' } }]);
    expect(await L.lines(centreSessionsPartition('x'))).toEqual(['s1', 's3']);
    expect(await L.lines(centreSessionsPartition('y'))).toEqual(['s2']);
    expect(await L.lines(jurorSessionsPartition('j2'))).toEqual(['s1', 's2']);
    expect(await L.lines(jurorSessionsPartition('j3'))).toEqual(['s2']);
    expect(await L.lines(centreCandidatesPartition('x'))).toEqual(['c1']);
    // The jury constituted again without j1: the session leaves j1's list; a juror added for a candidate joins it.
    await L.append('session#s1', [jury('j2', 'j4'), { type: 'JurorAddedForCandidate', data: { jurorId: 'j5', independent: false, candidateId: 'c1' } }]);
    expect(await L.lines(jurorSessionsPartition('j1'))).toEqual([]);
    expect(await L.lines(jurorSessionsPartition('j4'))).toEqual(['s1']);
    expect(await L.lines(jurorSessionsPartition('j5'))).toEqual(['s1']);
  });

  it("the session overview: an event about a candidate rewrites that candidate's item and the header, not the session", async () => {
    const L = ledger();
    await L.append('session#s1', [scheduled('s1', 'x'), jury('j1', 'j2')]);
    for (const c of ['c1', 'c2', 'c3']) await L.append('session#s1', [enrolled(c)]);
    L.writes.length = 0;
    await L.append('session#s1', [
      { type: 'AssessmentRecorded', data: { jurorId: 'j1', candidateId: 'c2', bloc: BLOCS[0]!, competences: [{ code: 'RNCP38665BC01C1', result: 'acquis' }] } },
    ]);
    expect(L.writes.filter((w) => w.startsWith('session#s1|'))).toEqual(['session#s1|candidate#c2', `session#s1|${HEADER_KEY}`]);
    const items = await L.readModels.query('session#s1');
    expect(items.map((i) => i.key)).toEqual([HEADER_KEY, 'candidate#c1', 'candidate#c2', 'candidate#c3']);
    // The header stays the size of a session without candidates.
    expect(JSON.stringify(items[0]!.doc)).not.toContain('c2');
  });
});
