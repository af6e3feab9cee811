import fc from 'fast-check';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { commitToItem } from '../../functions/adapters/dynamodb-event-store.js';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import type { EventStore } from '../../functions/ports/event-store.js';
import { recordOfItem } from '../../functions/projections/change-feed.js';
import { followers, projections } from '../../functions/projections/index.js';
import { addTallies, ROLLUP_KEY, tallyOfRow, type CandidateYearFact, type StatisticsRollup } from '../../functions/projections/statistics-rollups.js';
import { COMMIT_OVERWRITTEN, projectBatch } from '../../functions/projections/project-change-feed.js';
import { ProjectionGapError, Projector } from '../../functions/projections/projector.js';
import { computeStatistics, readStatisticsFacts } from '../../functions/statistics/statistics-report.js';
import type { Commit } from '../../events/envelope.js';
import type { LedgerEvent } from '../../events/registry.js';
import { loadReferential } from '../../functions/referential/load-referential.js';
import { CommandHandler } from '../../functions/shared/command-handler.js';
import { appendEvents } from '../support/ledger-history.js';
import { TestClock } from '../support/memory-deps.js';

const SESSIONS = ['s1', 's2', 's3'];
const CANDIDATES = ['c1', 'c2', 'c3', 'c4'];
const CENTRES = ['x', 'y'];
const DATES = ['2021-06-30', '2022-03-10', '2022-12-31', '2023-01-02'];
const RNCPS = ['RNCP12505', 'RNCP32340', 'RNCP38665'];
const BLOCS = ['RNCP32340BC01', 'RNCP32340BC02'];

const candidateId = fc.constantFrom(...CANDIDATES);
const date = fc.constantFrom(...DATES);
const rncp = fc.constantFrom(...RNCPS);
const bloc = fc.constantFrom(...BLOCS);
const outcome = fc.constantFrom('titre', 'ccp', 'ajourne', 'absent' as const);

const sessionEvent: fc.Arbitrary<LedgerEvent> = fc.oneof(
  fc
    .record({ candidateId, route: fc.constantFrom('formation_continue', 'vae', 'apprentissage' as const) })
    .map((d) => ({ type: 'CandidateEnrolled' as const, data: { ...d, blocs: BLOCS } })),
  fc.record({ candidateId, outcome }).map((d) => ({ type: 'DeliberationProposed' as const, data: { ...d, blocs: [], finalInterviewHeld: true, proposedBy: 'j1' } })),
  fc.record({ candidateId }).map((d) => ({ type: 'DeliberationSigned' as const, data: { ...d, jurorId: 'j2' } })),
  fc.record({ candidateId, outcome }).map((d) => ({ type: 'DeliberationFinalised' as const, data: { ...d, blocs: [], finalInterviewHeld: true } })),
  fc
    .record({ candidateId, bloc, result: fc.constantFrom('acquis', 'non_acquis' as const) })
    .map(({ result, ...d }) => ({ type: 'AssessmentRecorded' as const, data: { ...d, jurorId: 'j1', competences: [{ code: `${d.bloc}C1`, result }] } })),
  date.map((validatedOn) => ({ type: 'PvValidated' as const, data: { validatedBy: 'agent-1', validatedOn } })),
  fc
    .subarray(['j1', 'j2', 'j3'], { minLength: 1 })
    .map((ids) => ({ type: 'JuryConstituted' as const, data: { members: ids.map((jurorId, i) => ({ jurorId, independent: i === 0 })) } })),
  fc.record({ candidateId, jurorId: fc.constantFrom('j3', 'j4') }).map((d) => ({ type: 'JurorAddedForCandidate' as const, data: { ...d, independent: false } })),
  candidateId.map((id) => ({ type: 'CandidateWithdrawn' as const, data: { candidateId: id, withdrawnBy: 'centre:x' } })),
  candidateId.map((id) => ({ type: 'DecisionAnnulled' as const, data: { candidateId: id, reason: 'appel', legalBasis: 'R338-7', annulledBy: 'agent-1' } })),
);

const candidateEvent = (id: string): fc.Arbitrary<LedgerEvent> =>
  fc.oneof(
    fc
      .record({ rncp, bloc, acquiredOn: date, sessionId: fc.constantFrom(...SESSIONS) })
      .map(({ sessionId, ...d }) => ({ type: 'CcpAcquired' as const, data: { ...d, candidateId: id, via: { kind: 'session' as const, sessionId } } })),
    fc
      .record({ rncp, issuedOn: date, sessionId: fc.constantFrom(...SESSIONS) })
      .map((d) => ({ type: 'TitreIssued' as const, data: { ...d, candidateId: id, blocs: BLOCS, route: 'session' as const } })),
    fc
      .record({ rncp, sessionId: fc.constantFrom(...SESSIONS) })
      .map((d) => ({ type: 'TitreAnnulled' as const, data: { ...d, candidateId: id, reason: 'appel', legalBasis: 'R338-7' } })),
    fc
      .record({ rncp, bloc, sessionId: fc.constantFrom(...SESSIONS) })
      .map((d) => ({ type: 'CcpAcquisitionAnnulled' as const, data: { ...d, candidateId: id, reason: 'appel', legalBasis: 'R338-7' } })),
    fc
      .record({ horizon: fc.constantFrom('6m', '24m' as const), situation: fc.constantFrom('employed_target_job', 'employed_other', 'unemployed', 'neutralised' as const) })
      .map((d) => ({ type: 'InsertionSurveyRecorded' as const, data: { ...d, candidateId: id, recordedBy: 'ministry:m' } })),
    fc.constant({ type: 'CandidateNotified' as const, data: { candidateId: id, notificationKey: 'k', topic: 'session-results' as const, message: 'résultats' } }),
  );

type Stream = { stream: string; first: (id: string) => fc.Arbitrary<LedgerEvent>; next: (id: string) => fc.Arbitrary<LedgerEvent> };
const kinds: Stream[] = [
  ...SESSIONS.map((id) => ({
    stream: `session#${id}`,
    first: () =>
      fc
        .record({ rncp, centreId: fc.constantFrom(...CENTRES) })
        .map((d) => ({ type: 'SessionScheduled' as const, data: { ...d, sessionId: id, kind: 'titre' as const, blocs: BLOCS, startsOn: '2022-03-07', endsOn: '2022-03-09' } })),
    next: () => sessionEvent,
  })),
  ...CANDIDATES.map((id) => ({
    stream: `candidate#${id}`,
    first: () => fc.constant({ type: 'CandidateRegistered' as const, data: { candidateId: id, registeredBy: 'x' } }),
    next: candidateEvent,
  })),
  ...CENTRES.map((id) => ({
    stream: `centre#${id}`,
    first: () => fc.constantFrom('Bretagne', 'Normandie').map((region) => ({ type: 'CentreRegistered' as const, data: { centreId: id, name: `Centre ${id}`, region } })),
    next: () => rncp.map((r) => ({ type: 'AgrementGranted' as const, data: { centreId: id, rncp: r, validFrom: '2022-01-01', validUntil: '2024-05-11' } })),
  })),
];

/** A history: appends, each to one stream, of 1 to 3 events (a stream's first append starts with its creation event). */
const history = fc.array(
  fc
    .nat({ max: kinds.length - 1 })
    .chain((k) =>
      fc.tuple(fc.constant(k), fc.array(kinds[k]!.next(kinds[k]!.stream.split('#')[1]!), { minLength: 1, maxLength: 3 }), kinds[k]!.first(kinds[k]!.stream.split('#')[1]!)),
    ),
  { minLength: 1, maxLength: 40 },
);

/**
 * The appends, each withdrawal kept only where the session decider would have allowed it: before the session's PV,
 * of a candidate not judged there yet, and judged (or certified) there later only after enrolling again. A
 * withdrawal is the one event that takes an input out of a statistics fact; the law bounds when.
 */
function lawfulWithdrawals(appends: readonly (readonly [number, LedgerEvent[], LedgerEvent])[]): LedgerEvent[][] {
  const flat = appends.flatMap(([k, events], a) => events.map((event, i) => ({ stream: kinds[k]!.stream, event, at: [a, i] as const })));
  const judgement = (e: LedgerEvent, stream: string): string | undefined => {
    if (e.type === 'DeliberationProposed' || e.type === 'DeliberationFinalised' || e.type === 'AssessmentRecorded') return `${stream}|${e.data.candidateId}`;
    if (e.type === 'TitreIssued') return `session#${e.data.sessionId}|${e.data.candidateId}`;
    if (e.type === 'CcpAcquired' && e.data.via.kind === 'session') return `session#${e.data.via.sessionId}|${e.data.candidateId}`;
    return undefined;
  };
  const dropped = new Set<string>();
  flat.forEach(({ stream, event, at }, g) => {
    if (event.type !== 'CandidateWithdrawn') return;
    const who = `${stream}|${event.data.candidateId}`;
    const before = flat.slice(0, g);
    const closed = before.some((f) => f.stream === stream && f.event.type === 'PvValidated');
    const judged = before.some((f) => judgement(f.event, f.stream) === who);
    const after = flat.slice(g + 1);
    const enrolledAgain = after.findIndex((f) => f.stream === stream && f.event.type === 'CandidateEnrolled' && f.event.data.candidateId === event.data.candidateId);
    const judgedBeforeEnrolling = (enrolledAgain < 0 ? after : after.slice(0, enrolledAgain)).some((f) => judgement(f.event, f.stream) === who);
    if (closed || judged || judgedBeforeEnrolling) dropped.add(at.join(':'));
  });
  return appends.map(([, events], a) => events.filter((_, i) => !dropped.has(`${a}:${i}`)));
}

/**
 * Histories of one session and two of its candidates, enrolments, withdrawals and their certifications frequent:
 * where one shard running ahead of another matters.
 */
const twoCandidates = fc.constantFrom('c1', 'c2');
const busySessionEvent: fc.Arbitrary<LedgerEvent> = fc.oneof(
  { arbitrary: twoCandidates.map((id) => ({ type: 'CandidateEnrolled' as const, data: { candidateId: id, route: 'formation_continue' as const, blocs: BLOCS } })), weight: 3 },
  { arbitrary: twoCandidates.map((id) => ({ type: 'CandidateWithdrawn' as const, data: { candidateId: id, withdrawnBy: 'centre:x' } })), weight: 3 },
  {
    arbitrary: fc.record({ candidateId: twoCandidates, outcome }).map((d) => ({ type: 'DeliberationFinalised' as const, data: { ...d, blocs: [], finalInterviewHeld: true } })),
    weight: 2,
  },
  { arbitrary: date.map((validatedOn) => ({ type: 'PvValidated' as const, data: { validatedBy: 'agent-1', validatedOn } })), weight: 1 },
);
const certifiedBySession = (id: string): fc.Arbitrary<LedgerEvent> =>
  fc.oneof(
    fc.record({ rncp, bloc, acquiredOn: date }).map((d) => ({ type: 'CcpAcquired' as const, data: { ...d, candidateId: id, via: { kind: 'session' as const, sessionId: 's1' } } })),
    fc.record({ rncp, issuedOn: date }).map((d) => ({ type: 'TitreIssued' as const, data: { ...d, sessionId: 's1', candidateId: id, blocs: BLOCS, route: 'session' as const } })),
  );
const busySession = fc.array(
  fc.oneof(
    fc.tuple(fc.constant(0), fc.array(busySessionEvent, { minLength: 1, maxLength: 3 }), kinds[0]!.first('s1')),
    fc
      .constantFrom(1, 2)
      .chain((n) =>
        fc.tuple(fc.constant(SESSIONS.length + n - 1), fc.array(certifiedBySession(`c${n}`), { minLength: 1, maxLength: 2 }), kinds[SESSIONS.length + n - 1]!.first(`c${n}`)),
      ),
  ),
  { minLength: 1, maxLength: 30 },
);

/** A history appended to a new ledger (after the referential, whose commits come first in `appended`). */
async function ledgerOf(appends: readonly (readonly [number, LedgerEvent[], LedgerEvent])[]): Promise<{ source: MemoryEventStore; appended: Commit[] }> {
  const source = new MemoryEventStore();
  await loadReferential(new CommandHandler(source), new TestClock('2022-01-03T08:00:00.000Z'));
  const appended: Commit[] = [];
  const started = new Set<string>();
  const lawful = lawfulWithdrawals(appends);
  for (const [index, [k, , first]] of appends.entries()) {
    const { stream } = kinds[k]!;
    const events = lawful[index]!;
    if (!events.length && started.has(stream)) continue;
    const all = started.has(stream) ? events : [first, ...events];
    started.add(stream);
    appended.push(await appendEvents(source, stream, all));
  }
  const referential: Commit[] = [];
  for await (const c of source.scan()) if (c.stream.startsWith('certification#')) referential.push(c);
  appended.unshift(...referential);
  return { source, appended };
}

/** An event store whose reads fail when told to (throttling, a network error): the record is retried later. */
function flaky(store: EventStore, failures: boolean[]): EventStore & { healthy: boolean } {
  let reads = 0;
  const wrapped = {
    healthy: false,
    append: store.append.bind(store),
    scan: store.scan.bind(store),
    scanPage: store.scanPage.bind(store),
    read: async (stream: string, from?: number) => {
      if (!wrapped.healthy && failures[reads++ % failures.length]) throw new Error('ProvisionedThroughputExceededException');
      return store.read(stream, from);
    },
  };
  return wrapped;
}

const documents = (readModels: MemoryReadModelStore) => readModels.dump();

/**
 * An index item a document no longer derives is overwritten with null (a tombstone), which readers skip; a rebuild
 * that never wrote the item has none. Those tombstones, and only those, are left out of the comparison.
 */
function withoutTombstonesOnlyIn(incremental: ReturnType<typeof documents>, rebuilt: ReturnType<typeof documents>): ReturnType<typeof documents> {
  const out: ReturnType<typeof documents> = {};
  for (const [partition, items] of Object.entries(incremental)) {
    const kept = items.filter((item) => item.doc !== null || (rebuilt[partition] ?? []).some((r) => r.key === item.key));
    if (kept.length) out[partition] = kept;
  }
  return out;
}

/**
 * Each statistics partition's rollup is the sum of its facts, has nothing pending, and equals what the
 * definition (computeStatistics over every fact document, that version alone) gives for that version and year.
 */
function checkRollups(readModels: MemoryReadModelStore) {
  const all = readModels.dump();
  const { facts } = readStatisticsFacts(readModels);
  let checked = 0;
  for (const [partition, items] of Object.entries(all)) {
    if (!partition.startsWith('statistics#')) continue;
    const [, rncp, year] = partition.split('#') as [string, string, string];
    const rollup = items.find((i) => i.key === ROLLUP_KEY)!.doc as StatisticsRollup;
    expect(rollup.pending).toBeUndefined();
    const sum = items.filter((i) => i.key !== ROLLUP_KEY).reduce((t, i) => addTallies(t, (i.doc as CandidateYearFact).tally), {});
    expect(rollup.tally).toEqual(sum);
    const [row] = computeStatistics({ ...facts, catalogue: [] }, { rncp, year: Number(year) });
    expect(rollup.tally).toEqual(tallyOfRow(row!));
    checked++;
  }
  // Every version and year the definition counts something in has its rollup.
  const counted = computeStatistics({ ...facts, catalogue: [] }, { rncp: 'RNCP32340' }).filter((r) => Object.keys(tallyOfRow(r)).length);
  for (const r of counted) expect(all[`statistics#RNCP32340#${r.year}`]).toBeDefined();
  return checked;
}

describe('the projector converges whatever the delivery', () => {
  it('random histories delivered with duplicates, reordering, drops and failed records end in the same read models as a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(history, busySession),
        fc.array(fc.nat(), { maxLength: 120 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('later records', 'catch-up'),
        fc.integer({ min: 1, max: 9 }),
        async (appends, deliveryOrder, batchSizes, readFailures, finish, pageSize) => {
          const { source, appended } = await ledgerOf(appends);

          // The feed: any commit any number of times (none: dropped), in any order, in batches of any size,
          // to two projector instances sharing the read models, each batch through the Powertools handler.
          const readModels = new MemoryReadModelStore();
          const store = flaky(source, readFailures);
          const projectors = [new Projector(store, readModels, projections, followers), new Projector(store, readModels, projections, followers)];
          let queue = deliveryOrder.map((i) => appended[i % appended.length]!);
          let sequence = 0;
          const deliver = async (commits: Commit[], projector: Projector) => {
            const records: DynamoDBRecord[] = commits.map((c) => recordOfItem(commitToItem(c), ++sequence));
            let failed: string[];
            try {
              const response = await projectBatch(projector, { Records: records });
              failed = response.batchItemFailures.map((f) => f.itemIdentifier);
            } catch {
              failed = records.map((r) => r.dynamodb!.SequenceNumber!); // the whole batch failed: Lambda retries it
            }
            // Lambda retries failed records later: back at the end of the queue.
            return records.filter((r) => failed.includes(r.dynamodb!.SequenceNumber!)).map((r) => commits[records.indexOf(r)]!);
          };
          for (let round = 0; queue.length && round < 50; round++) {
            const retry: Commit[] = [];
            const batches: Commit[][] = [];
            for (let i = 0, b = 0; i < queue.length; b++) {
              const size = batchSizes[b % batchSizes.length]!;
              batches.push(queue.slice(i, i + size));
              i += size;
            }
            for (let b = 0; b < batches.length; b += 2) {
              const pair = await Promise.all(batches.slice(b, b + 2).map((batch, j) => deliver(batch, projectors[j]!)));
              retry.push(...pair.flat());
            }
            queue = retry;
          }
          store.healthy = true;
          if (finish === 'later records') {
            // Each stream's last commit arrives once more, as the next write to it would: the gaps fill from the table.
            const lastOf = new Map(appended.map((c) => [c.stream, c]));
            const left = await deliver([...lastOf.values()], projectors[0]!);
            expect(left).toEqual([]);
          } else {
            await projectors[0]!.replayAll();
          }

          const rebuilt = new MemoryReadModelStore();
          await new Projector(source, rebuilt, projections, followers).replayAll();
          expect(withoutTombstonesOnlyIn(documents(readModels), documents(rebuilt))).toEqual(documents(rebuilt));
          // The rebuild's fold, page by page (pages of any size, ending inside streams), writes the same documents
          // (a page ending inside a stream is taken up as the feed would, so it may leave tombstones, as the feed does).
          const folded = new MemoryReadModelStore();
          await new Projector(source, folded, projections, followers).rebuildAll(undefined, pageSize);
          expect(withoutTombstonesOnlyIn(documents(folded), documents(rebuilt))).toEqual(documents(rebuilt));
          checkRollups(readModels);
          checkRollups(rebuilt);
          const incremental = readStatisticsFacts(readModels);
          const fromRebuild = readStatisticsFacts(rebuilt);
          expect(incremental.position).toBe(fromRebuild.position);
          expect(computeStatistics(incremental.facts)).toEqual(computeStatistics(fromRebuild.facts));
        },
      ),
      { numRuns: 150 },
    );
  }, 180_000);

  it('each stream in its order (a shard), the shards running ahead of one another: no record fails, and the read models are a rebuild’s', async () => {
    // DynamoDB Streams keeps a stream's records in order on its shard and retries a failed record before any record
    // behind it: a record that fails with every read answered would hold its shard until its retries run out.
    await fc.assert(
      fc.asyncProperty(fc.oneof(history, busySession), fc.array(fc.nat(), { maxLength: 200 }), async (appends, turns) => {
        const { source, appended } = await ledgerOf(appends);
        const shards = new Map<string, Commit[]>();
        for (const c of appended) shards.set(c.stream, [...(shards.get(c.stream) ?? []), c]);
        const readModels = new MemoryReadModelStore();
        const projector = new Projector(source, readModels, projections, followers);
        let sequence = 0;
        for (let turn = 0; shards.size; turn++) {
          const running = [...shards.keys()];
          const stream = running[(turns[turn % Math.max(1, turns.length)] ?? 0) % running.length]!;
          const [next, ...behind] = shards.get(stream)!;
          const response = await projectBatch(projector, { Records: [recordOfItem(commitToItem(next!), ++sequence)] });
          expect(response.batchItemFailures).toEqual([]);
          if (behind.length) shards.set(stream, behind);
          else shards.delete(stream);
        }
        const rebuilt = new MemoryReadModelStore();
        await new Projector(source, rebuilt, projections, followers).replayAll();
        expect(withoutTombstonesOnlyIn(documents(readModels), documents(rebuilt))).toEqual(documents(rebuilt));
        checkRollups(readModels);
      }),
      { numRuns: 600 },
    );
  }, 180_000);

  it('reports only the failed record of a batch to DynamoDB Streams, and never applies past a hole', async () => {
    const source = new MemoryEventStore();
    const c1 = await appendEvents(source, 'centre#x', [{ type: 'CentreRegistered', data: { centreId: 'x', name: 'Centre x', region: 'Bretagne' } }]);
    const c2 = await appendEvents(source, 'centre#x', [{ type: 'AgrementGranted', data: { centreId: 'x', rncp: 'RNCP32340', validFrom: '2022-01-01', validUntil: '2024-05-11' } }]);
    const other = await appendEvents(source, 'centre#y', [{ type: 'CentreRegistered', data: { centreId: 'y', name: 'Centre y', region: 'Normandie' } }]);
    const readModels = new MemoryReadModelStore();
    const broken: EventStore = {
      ...source,
      append: source.append.bind(source),
      scan: source.scan.bind(source),
      scanPage: source.scanPage.bind(source),
      read: async () => Promise.reject(new Error('timeout')),
    };
    const projector = new Projector(broken, readModels, projections);
    // c2 arrives before c1: filling the gap needs the table, which fails: only that record is reported.
    const records = [recordOfItem(commitToItem(other), 1), recordOfItem(commitToItem(c2), 2)];
    expect(await projectBatch(projector, { Records: records })).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }] });
    expect((await readModels.get('statistics-centre#y', 'y'))?.position).toBe(1);
    expect(await readModels.get('statistics-centre#x', 'x')).toBeUndefined();
    // A table that returns a slice with a hole: refused rather than applied.
    const holey: EventStore = { ...broken, read: async () => ({ commits: [c2], version: 2, head: c2.hash }) };
    await expect(new Projector(holey, readModels, projections).apply(c2)).rejects.toBeInstanceOf(ProjectionGapError);
    // In order, from a healthy table: both applied, and a duplicate changes nothing.
    const healthy = new Projector(source, readModels, projections);
    await healthy.apply(c1);
    await healthy.apply(c2);
    await healthy.apply(c1);
    expect(await readModels.get('statistics-centre#x', 'x')).toMatchObject({ position: 2, doc: { centreId: 'x', region: 'Bretagne' } });
  });

  it('a MODIFY or REMOVE of a commit (the table tampered with) is logged for the alarm and changes no read model', async () => {
    const source = new MemoryEventStore();
    const c1 = await appendEvents(source, 'centre#z', [{ type: 'CentreRegistered', data: { centreId: 'z', name: 'Centre z', region: 'Bretagne' } }]);
    const readModels = new MemoryReadModelStore();
    const projector = new Projector(source, readModels, projections);
    const logged: unknown[] = [];
    const logger = { error: (...args: unknown[]) => void logged.push(args) };
    const inserted = recordOfItem(commitToItem(c1), 1);
    await projectBatch(projector, { Records: [inserted] }, undefined, logger);
    const before = await readModels.get('statistics-centre#z', 'z');
    const tampered = { ...c1, events: [{ ...c1.events[0]!, data: { centreId: 'z', name: 'Centre falsifié', region: 'Corse' } }] };
    const modify = { ...recordOfItem(commitToItem(tampered), 2), eventName: 'MODIFY' as const };
    const remove = { ...recordOfItem(commitToItem(c1), 3), eventName: 'REMOVE' as const };
    expect(await projectBatch(projector, { Records: [modify, remove] }, undefined, logger)).toEqual({ batchItemFailures: [] });
    expect(logged.map((l) => (l as unknown[])[0])).toEqual([COMMIT_OVERWRITTEN, COMMIT_OVERWRITTEN]);
    expect(await readModels.get('statistics-centre#z', 'z')).toEqual(before);
  });
});
