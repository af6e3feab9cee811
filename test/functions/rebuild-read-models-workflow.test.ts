import { BatchWriteItemCommand, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Commit } from '../../events/envelope.js';
import { commitToItem, DynamoEventStore, ensureEventsTable } from '../../functions/adapters/dynamodb-event-store.js';
import { DynamoReadModelStore, ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { readModelRebuild, type RebuildEnvironment } from '../../functions/composition/read-model-rebuild.js';
import { ClearProgress, clearSegment, planRebuild, projectSegment, SegmentProgress } from '../../functions/operations/read-model-rebuild.js';
import { followers, projections } from '../../functions/projections/index.js';
import { Projector } from '../../functions/projections/projector.js';
import { ROLLUP_KEY, type StatisticsRollup } from '../../functions/projections/statistics-rollups.js';
import '../../functions/shared/polyfills.js';
import { renderWorkflow } from '../../infra/workflows/render.js';
import { rebuildReadModelsWorkflow } from '../../infra/workflows/rebuild-read-models.js';
import { generateHistory } from '../bench/rebuild-history.js';
import { startDynalite } from '../support/dynalite.js';

// The rebuild's state machine, rendered from its one definition (infra/workflows/rebuild-read-models.ts) and run by
// aws-local-stepfunctions, each Task the same code its Lambda runs, over dynalite: a ledger of generated history,
// projected commit by commit into blue as the change feed does, then rebuilt into green.

const TABLES = { EVENTS_TABLE: 'ledger-events', READ_MODELS_BLUE_TABLE: 'ledger-read-models-blue', READ_MODELS_GREEN_TABLE: 'ledger-read-models-green' };

let dynamo: Awaited<ReturnType<typeof startDynalite>>;
let later: Commit[] = [];

type Item = { pk: string; sk: string; doc: unknown; position: number };
async function items(table: string): Promise<Item[]> {
  const out: Item[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.client.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const { pk, sk, doc, position } = unmarshall(item) as { pk: string; sk: string; doc: string; position: number };
      out.push({ pk, sk, doc: JSON.parse(doc), position });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out.sort((a, b) => (`${a.pk}\u0000${a.sk}` < `${b.pk}\u0000${b.sk}` ? -1 : 1));
}

/** An index item the served table tombstoned (null: readers skip it) and the rebuild never wrote is no difference. */
const withoutTombstonesOnlyIn = (served: Item[], rebuilt: Item[]) => {
  const keys = new Set(rebuilt.map((i) => `${i.pk}\u0000${i.sk}`));
  return served.filter((i) => i.doc !== null || keys.has(`${i.pk}\u0000${i.sk}`));
};

/** Appends commits to the events table and projects each, in the order they were recorded, as the change feed would. */
async function commitAndProject(commits: readonly Commit[], colour: 'blue' | 'green') {
  for (let i = 0; i < commits.length; i += 25) {
    const batch = commits.slice(i, i + 25).map((c) => ({ PutRequest: { Item: commitToItem(c) } }));
    await dynamo.client.send(new BatchWriteItemCommand({ RequestItems: { [TABLES.EVENTS_TABLE]: batch } }));
  }
  const table = colour === 'blue' ? TABLES.READ_MODELS_BLUE_TABLE : TABLES.READ_MODELS_GREEN_TABLE;
  const live = new Projector(new DynamoEventStore(dynamo.client, TABLES.EVENTS_TABLE), new DynamoReadModelStore(dynamo.client, table), projections, followers);
  const inTimeOrder = [...commits].sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
  for (const commit of inTimeOrder) await live.apply(commit);
}

/**
 * Runs the rendered state machine. `failAfter` makes a Task's first invocation for some input do its work and
 * then fail (a Lambda that wrote its pages and timed out before answering): Step Functions' Retry runs it again
 * with the same input, so those pages are applied twice.
 */
async function runRebuild(env: RebuildEnvironment, input: unknown, failAfter?: (state: string, input: unknown) => boolean) {
  const rebuild = readModelRebuild(dynamo.client, env);
  const { asl } = renderWorkflow(rebuildReadModelsWorkflow);
  const calls: { state: string; input: unknown }[] = [];
  const step =
    (state: string, work: (input: unknown) => Promise<unknown>) =>
    async (input: unknown): Promise<never> => {
      calls.push({ state, input });
      const output = await work(input);
      if (failAfter?.(state, input)) throw Object.assign(new Error('Task timed out after 900.00 seconds'), { name: 'Sandbox.Timedout' });
      return output as never;
    };
  const project = (input: unknown) => {
    const progress = SegmentProgress.parse(input);
    return projectSegment(rebuild.store, progress.phase === 'documents' ? rebuild.documentsInto(progress.target) : rebuild.followersInto(progress.target), progress, () => true);
  };
  const handlers = {
    PlanRebuild: step('PlanRebuild', async (input) => planRebuild(rebuild, input)),
    ClearPages: step('ClearPages', (input) => {
      const progress = ClearProgress.parse(input);
      return clearSegment(rebuild.table(progress.target), progress, () => true);
    }),
    ReplayDocumentPages: step('ReplayDocumentPages', project),
    ReplayFollowerPages: step('ReplayFollowerPages', project),
  };
  const retries = Object.fromEntries(Object.keys(handlers).map((name) => [name, 0]));
  const execution = new StateMachine(structuredClone(asl) as never, { validationOptions: { checkPaths: true, checkArn: false } }).run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: retries },
  });
  try {
    return { output: (await execution.result) as { target: string; table: string; cleared: boolean; segments: SegmentProgress[] }, calls };
  } catch (error) {
    let cause = error as Error & { cause?: unknown };
    while ((cause.name === 'ExecutionError' || cause.name === 'RuntimeError') && cause.cause instanceof Error) cause = cause.cause as Error & { cause?: unknown };
    return { error: cause, calls };
  }
}

const servedBy = (colour: 'blue' | 'green'): RebuildEnvironment => ({
  ...TABLES,
  READ_MODELS_TABLE: colour === 'blue' ? TABLES.READ_MODELS_BLUE_TABLE : TABLES.READ_MODELS_GREEN_TABLE,
});

beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureEventsTable(dynamo.client, TABLES.EVENTS_TABLE);
  await ensureKeyValueTable(dynamo.client, TABLES.READ_MODELS_BLUE_TABLE);
  await ensureKeyValueTable(dynamo.client, TABLES.READ_MODELS_GREEN_TABLE);
  const history = await generateHistory(1200, 15_2026);
  // The last streams' commits come after the rebuild (what is committed between the scan and the switch).
  const cut = history.commits.length - 25;
  later = history.commits.slice(cut);
  await commitAndProject(history.commits.slice(0, cut), 'blue');
  // The idle table holds a previous generation's documents, which must not survive the rebuild.
  await dynamo.client.send(
    new PutItemCommand({ TableName: TABLES.READ_MODELS_GREEN_TABLE, Item: marshall({ pk: 'candidate-record#gone', sk: 'gone', doc: '{"stale":true}', position: 7 }) }),
  );
}, 300_000);
afterAll(async () => dynamo?.stop());

describe('the read-model rebuild, run by the local runner from its state machine definition', () => {
  it('refuses to rebuild into the table the functions serve from, and leaves it as it was', async () => {
    const before = await items(TABLES.READ_MODELS_BLUE_TABLE);
    const { error, calls } = await runRebuild(servedBy('blue'), { target: 'blue' });
    expect(error).toMatchObject({ name: 'RebuildRefused' });
    expect(error!.message).toMatch(/serve from/);
    expect(calls.map((c) => c.state)).toEqual(['PlanRebuild']);
    expect(await items(TABLES.READ_MODELS_BLUE_TABLE)).toEqual(before);
    const bad = await runRebuild(servedBy('blue'), { segments: 0 });
    expect(bad.error).toMatchObject({ name: 'RebuildRefused' });
  });

  it('rebuilds every read model into the idle table, equal to the served one, though pages were applied twice', async () => {
    const served = await items(TABLES.READ_MODELS_BLUE_TABLE);
    expect(served.length).toBeGreaterThan(200);
    // Every segment's second invocation of each phase writes its pages, then fails, and is retried from the same cursor.
    const seen = new Map<string, number>();
    const failAfter = (state: string, input: unknown) => {
      const { segment, after } = input as { segment: { index: number }; after?: unknown };
      if (state === 'PlanRebuild' || !after) return false;
      const key = `${state}:${segment.index}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      return seen.get(key) === 1;
    };
    const { output, calls, error } = await runRebuild(servedBy('blue'), { segments: 4, pageSize: 25, pagesPerInvocation: 3 }, failAfter);
    expect(error).toBeUndefined();
    expect(output).toMatchObject({ target: 'green', table: TABLES.READ_MODELS_GREEN_TABLE, cleared: true });

    // Page by page: many invocations per segment, each handing its cursor to the next; some applied twice.
    const replays = calls.filter((c) => c.state === 'ReplayDocumentPages' || c.state === 'ReplayFollowerPages');
    expect(replays.length).toBeGreaterThan(4 * 2 * 3);
    expect([...seen.values()].some((n) => n >= 2)).toBe(true);
    const retried = replays.filter((c, i) => replays.findIndex((d) => JSON.stringify(d.input) === JSON.stringify(c.input)) !== i);
    expect(retried.length).toBeGreaterThanOrEqual(8);
    // Into the emptied table, the documents are the fold's (Projector.rebuildPage); the followers go stream by stream.
    expect(replays.map((c) => [c.state, (c.input as { fresh?: boolean }).fresh ?? false])).toEqual(replays.map((c) => [c.state, c.state === 'ReplayDocumentPages']));

    // The counts: every event of the table scanned once per phase (the retried pages are not counted twice).
    const commitsInTable = served.length && (await scanCount(TABLES.EVENTS_TABLE));
    expect(output!.segments.map((s) => s.segment.index)).toEqual([0, 1, 2, 3]);
    expect(output!.segments.reduce((n, s) => n + s.commits, 0)).toBe(commitsInTable);
    expect(output!.segments.every((s) => s.done && !s.after)).toBe(true);

    const rebuilt = await items(TABLES.READ_MODELS_GREEN_TABLE);
    expect(rebuilt.find((i) => i.pk === 'candidate-record#gone')).toBeUndefined();
    expect(withoutTombstonesOnlyIn(served, rebuilt)).toEqual(rebuilt);
    // Statistics rollups among them: nothing pending, equal to the sum of their facts (no page counted twice).
    const rollups = rebuilt.filter((i) => i.pk.startsWith('statistics#') && i.sk === ROLLUP_KEY);
    expect(rollups.length).toBeGreaterThan(0);
    for (const rollup of rollups) {
      const doc = rollup.doc as StatisticsRollup;
      expect(doc.pending).toBeUndefined();
      const facts = rebuilt.filter((i) => i.pk === rollup.pk && i.sk !== ROLLUP_KEY && i.doc);
      const sum: Record<string, number> = {};
      for (const fact of facts) for (const [k, v] of Object.entries((fact.doc as { tally: Record<string, number> }).tally)) sum[k] = (sum[k] ?? 0) + v;
      expect(doc.tally).toEqual(Object.fromEntries(Object.entries(sum).filter(([, v]) => v !== 0)));
    }
  }, 300_000);

  it('after the switch, a catch-up run brings the served table up to what was committed since the scan, and changes nothing more run again', async () => {
    // Committed after the rebuild's scan, projected into blue only (the functions were still served by blue).
    await commitAndProject(later, 'blue');
    const served = await items(TABLES.READ_MODELS_BLUE_TABLE);
    expect(withoutTombstonesOnlyIn(served, await items(TABLES.READ_MODELS_GREEN_TABLE))).not.toEqual(await items(TABLES.READ_MODELS_GREEN_TABLE));
    // The switch: green is served now; the catch-up writes into it, without emptying it.
    const refused = await runRebuild(servedBy('green'), { target: 'green' });
    expect(refused.error).toMatchObject({ name: 'RebuildRefused' });
    const { output, calls, error } = await runRebuild(servedBy('green'), { catchUp: true, segments: 3 });
    expect(error).toBeUndefined();
    expect(output).toMatchObject({ target: 'green', cleared: false });
    expect(calls.some((c) => c.state === 'ClearPages')).toBe(false);
    // Not emptied: every document is read and written on its checkpoint, as the change feed does.
    expect(calls.filter((c) => c.state === 'ReplayDocumentPages').every((c) => (c.input as { fresh?: boolean }).fresh === false)).toBe(true);
    const caughtUp = await items(TABLES.READ_MODELS_GREEN_TABLE);
    expect(withoutTombstonesOnlyIn(served, caughtUp)).toEqual(caughtUp);
    await runRebuild(servedBy('green'), { catchUp: true, segments: 2 });
    expect(await items(TABLES.READ_MODELS_GREEN_TABLE)).toEqual(caughtUp);
  }, 300_000);
});

async function scanCount(table: string) {
  let count = 0;
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey }));
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}
