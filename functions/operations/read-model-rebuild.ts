import * as z from '../../events/zod.js';
import type { Commit } from '../../events/envelope.js';
import type { ReadModelCursor } from '../adapters/dynamodb-read-model-store.js';
import type { EventStore, ScanCursor } from '../ports/event-store.js';
import type { Projector } from '../projections/projector.js';

/**
 * The read-model rebuild as a deployed operation (README, "Rebuilding the read models"): two read-model tables,
 * blue and green; the functions serve from the one the stack was deployed with (READ_MODELS_TABLE), and the
 * rebuild's state machine (infra/workflows/rebuild-read-models.ts) writes the other. Its Tasks are the three
 * steps below, each a Lambda invocation that does a bounded amount of work and hands its position on to the next.
 */

export const Colour = z.enum(['blue', 'green']);
export type Colour = z.infer<typeof Colour>;

const Segment = z
  .strictObject({ index: z.number().check(z.int(), z.gte(0)), total: z.number().check(z.int(), z.gte(1), z.lte(1_000_000)) })
  .check(z.refine((s) => s.index < s.total, 'index must be below total'));

/** Each segment's result is kept in the execution's state (256 KB at most): a few hundred bytes each. */
export const MAX_SEGMENTS = 512;

/** What the operator starts the state machine with. */
export const RebuildRequest = z.strictObject({
  /** The table rebuilt: by default the idle one (a rebuild) or the active one (a catch-up). */
  target: z.optional(Colour),
  /** Only what the target misses (after the switch, or after a roll back): the target is not emptied first. */
  catchUp: z._default(z.boolean(), false),
  /** DynamoDB parallel scan segments, replayed side by side (a stream lies in one segment). */
  segments: z._default(z.number().check(z.int(), z.gte(1), z.lte(MAX_SEGMENTS)), 16),
  /** Commits per Scan page (DynamoDB's Limit); a page is at most 1 MB without. */
  pageSize: z.optional(z.number().check(z.int(), z.gte(1), z.lte(10_000))),
  /** Pages one invocation reads at most before handing on (it also hands on when its time runs short). */
  pagesPerInvocation: z._default(z.number().check(z.int(), z.gte(1), z.lte(100_000)), 500),
});
export type RebuildRequest = z.input<typeof RebuildRequest>;

export class RebuildRefusedError extends Error {
  override name = 'RebuildRefused';
}

export interface RebuildTables {
  /** The colour the functions serve from (the table named by READ_MODELS_TABLE). */
  active: Colour;
  tableOf(colour: Colour): string;
}

export interface RebuildPlan {
  target: Colour;
  table: string;
  /** Whether the target is emptied first (a rebuild, never a catch-up). */
  clear: boolean;
  segments: { index: number; total: number }[];
  /** What each invocation reads at most. */
  budget: Budget;
}

/** The plan of one execution; a rebuild into the table being served is refused (it would empty it). */
export function planRebuild(tables: RebuildTables, raw: unknown): RebuildPlan {
  const parsed = RebuildRequest.safeParse(raw ?? {});
  if (!parsed.success) throw new RebuildRefusedError(`bad rebuild request: ${z.prettifyError(parsed.error)}`);
  const request = parsed.data;
  const idle: Colour = tables.active === 'blue' ? 'green' : 'blue';
  const target = request.target ?? (request.catchUp ? tables.active : idle);
  if (!request.catchUp && target === tables.active)
    throw new RebuildRefusedError(`the ${target} table (${tables.tableOf(target)}) is the one the functions serve from: rebuild into ${idle}, or catch it up ({"catchUp": true})`);
  return {
    target,
    table: tables.tableOf(target),
    clear: !request.catchUp,
    segments: Array.from({ length: request.segments }, (_, index) => ({ index, total: request.segments })),
    budget: { pagesPerInvocation: request.pagesPerInvocation, ...(request.pageSize ? { pageSize: request.pageSize } : {}) },
  };
}

const Budget = z.strictObject({
  pageSize: z.optional(z.number().check(z.int(), z.gte(1), z.lte(10_000))),
  pagesPerInvocation: z.number().check(z.int(), z.gte(1), z.lte(100_000)),
});
type Budget = z.infer<typeof Budget>;
const count = z._default(z.number().check(z.int(), z.gte(0)), 0);

/** One invocation's work on a segment of the events table, and where the next one goes on. */
export const SegmentProgress = z.strictObject({
  target: Colour,
  /** `documents`: every projection; then `followers`: the aggregates kept from those documents (statistics rollups). */
  phase: z.enum(['documents', 'followers']),
  /**
   * The target was emptied by this execution (not a catch-up): the documents are the fold's alone, each page folded
   * in memory and written in one batch (Projector.rebuildPage) instead of read and conditionally written per stream.
   */
  fresh: z._default(z.boolean(), false),
  segment: Segment,
  budget: Budget,
  after: z.optional(z.strictObject({ stream: z.string().check(z.minLength(1)), version: z.number().check(z.int(), z.gte(1)) })),
  events: count,
  commits: count,
  pages: count,
  invocations: count,
  done: z._default(z.boolean(), false),
});
export type SegmentProgress = z.infer<typeof SegmentProgress>;

/** One invocation's work on a segment of the target read-model table being emptied. */
export const ClearProgress = z.strictObject({
  target: Colour,
  segment: Segment,
  budget: Budget,
  after: z.optional(z.strictObject({ partition: z.string().check(z.minLength(1)), key: z.string() })),
  deleted: count,
  pages: count,
  invocations: count,
  done: z._default(z.boolean(), false),
});
export type ClearProgress = z.infer<typeof ClearProgress>;

/** An invocation stops reading pages when less than this is left before its timeout: a page takes seconds at most. */
export const MARGIN_MS = 120_000;

/** Whether the invocation still has time for another page (the Lambda's remaining time, with a margin). */
export type TimeLeft = () => boolean;

/**
 * Pages of a segment, from its cursor, into the projector, until the segment ends, the page budget is spent or
 * time runs short. Into an emptied target, each page's documents are one fold and one batch of writes; otherwise
 * (a catch-up, the followers) each page is applied stream by stream (a page ending inside a stream is continued by the next
 * from the document's checkpoint). A page applied twice (an invocation retried after it wrote) changes nothing:
 * documents skip what their checkpoint holds, and a statistics fact already reflected is not added again.
 */
export async function projectSegment(store: EventStore, projector: Projector, progress: SegmentProgress, timeLeft: TimeLeft): Promise<SegmentProgress> {
  let { after, events, commits, pages } = progress;
  let read = 0;
  do {
    const page = await store.scanPage({ segment: progress.segment, ...(after ? { after } : {}), ...(progress.budget.pageSize ? { limit: progress.budget.pageSize } : {}) });
    if (progress.fresh && progress.phase === 'documents') await projector.rebuildPage(page.commits);
    else for (const run of streamRuns(page.commits)) await projector.applyRun(run);
    events += page.commits.reduce((n, c) => n + c.events.length, 0);
    commits += page.commits.length;
    pages++;
    read++;
    after = page.next;
  } while (after && read < progress.budget.pagesPerInvocation && timeLeft());
  const { after: _previous, ...rest } = progress;
  return { ...rest, ...(after ? { after } : {}), events, commits, pages, invocations: progress.invocations + 1, done: !after };
}

/** Empties pages of a segment of the target table, from its cursor, within the same budget. */
export async function clearSegment(
  table: { clearPage(request: { segment: { index: number; total: number }; after?: ReadModelCursor; limit?: number }): Promise<{ deleted: number; next?: ReadModelCursor }> },
  progress: ClearProgress,
  timeLeft: TimeLeft,
): Promise<ClearProgress> {
  let { after, deleted, pages } = progress;
  let read = 0;
  do {
    const page = await table.clearPage({ segment: progress.segment, ...(after ? { after } : {}), ...(progress.budget.pageSize ? { limit: progress.budget.pageSize } : {}) });
    deleted += page.deleted;
    pages++;
    read++;
    after = page.next;
  } while (after && read < progress.budget.pagesPerInvocation && timeLeft());
  const { after: _previous, ...rest } = progress;
  return { ...rest, ...(after ? { after } : {}), deleted, pages, invocations: progress.invocations + 1, done: !after };
}

/** A page's commits as runs of one stream each (the scan keeps a stream's commits together and in order). */
function streamRuns(commits: readonly Commit[]): Commit[][] {
  const runs: Commit[][] = [];
  for (const commit of commits) {
    const run = runs.at(-1);
    if (run && run[0]!.stream === commit.stream) run.push(commit);
    else runs.push([commit]);
  }
  return runs;
}

export type { ScanCursor };
