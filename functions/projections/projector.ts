import type { Commit } from '../../events/envelope.js';
import type { RecordedEvent } from '../../events/registry.js';
import { recordedEvents } from '../shared/command-handler.js';
import { ConcurrencyError, type EventStore } from '../ports/event-store.js';
import type { ReadModelStore } from '../ports/read-model-store.js';
import { partitionModel, type DocumentProjection } from './projection.js';

/** The commits read to fill a gap do not continue the document: never apply past a hole (the record is retried). */
export class ProjectionGapError extends Error {
  constructor(
    readonly stream: string,
    readonly position: number,
    readonly found: number | undefined,
  ) {
    super(`stream ${stream}: the document is at version ${position} but the next commit read starts at ${found ?? 'nothing'}`);
  }
}

const contiguousFrom = (commits: readonly Commit[], position: number) => commits.every((c, i) => c.version === (i === 0 ? position : commits[i - 1]!.last) + 1);

/**
 * Applies commits from the change feed to every projection. Each document keeps the last version applied:
 * a duplicate (or an older commit delivered late) is ignored, the next commit is applied, and a gap is filled
 * by reading the missing commits from the event store (the DynamoDB adapter reads with ConsistentRead). The
 * write is conditional on the checkpoint read, so two projector instances never interleave on one document.
 * So at-least-once, reordered and duplicated delivery all converge to the same documents as a rebuild.
 */
export class Projector {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly projections: readonly DocumentProjection<unknown>[],
  ) {}

  /** One commit of the change feed. */
  async apply(commit: Commit): Promise<void> {
    await this.applyRun([commit]);
  }

  /**
   * Consecutive commits of one stream in version order (a rebuild applies a whole stream at once): one read and
   * one conditional write per document instead of one per commit, with the same checkpoint rules. Each commit
   * is decoded once, whatever the number of projections reading its stream.
   */
  async applyRun(commits: readonly Commit[]): Promise<void> {
    const stream = commits[0]?.stream;
    if (!stream) return;
    const decoded = new Map<number, RecordedEvent[]>();
    const decode = (commit: Commit) => {
      let events = decoded.get(commit.version);
      if (!events) decoded.set(commit.version, (events = recordedEvents(commit)));
      return events;
    };
    for (const projection of this.projections) {
      const key = projection.keyOf(stream);
      if (key !== undefined) await this.applyTo(projection, key, stream, commits, decode);
    }
  }

  private async applyTo(
    projection: DocumentProjection<unknown>,
    key: string,
    stream: string,
    delivered: readonly Commit[],
    decode: (commit: Commit) => RecordedEvent[],
    attempt = 0,
  ): Promise<void> {
    const current = await this.readModels.get<unknown>(projection.model, key);
    const position = current?.position ?? 0;
    if (delivered.at(-1)!.last <= position) {
      // Already applied: the partition copies may still lag if a crash came between the two writes.
      if (current?.doc) await this.copyToPartitions(projection, key, undefined, current.doc, position);
      return;
    }
    let commits = delivered.filter((c) => c.last > position);
    if (!contiguousFrom(commits, position)) {
      // A gap (or a run with a hole): everything after the checkpoint, read from the table.
      commits = (await this.store.read(stream, position + 1)).commits.filter((c) => c.last > position);
      if (!commits.length || !contiguousFrom(commits, position)) throw new ProjectionGapError(stream, position, commits[0]?.version);
    }
    let doc: unknown = current?.doc ?? undefined;
    for (const commit of commits) for (const event of decode(commit)) doc = projection.evolve(doc, event);
    const last = commits.at(-1)!.last;
    try {
      await this.readModels.put(projection.model, key, doc ?? null, last, position);
      await this.copyToPartitions(projection, key, current?.doc ?? undefined, doc ?? undefined, last);
    } catch (error) {
      // Another projector instance moved this document meanwhile: start again from what it wrote.
      if (error instanceof ConcurrencyError && attempt < 5) return this.applyTo(projection, key, stream, delivered, decode, attempt + 1);
      throw error;
    }
  }

  /** The document's copies in its partitions at `position`; an emptied copy where it was and is no more. */
  private async copyToPartitions(projection: DocumentProjection<unknown>, key: string, before: unknown, after: unknown, position: number) {
    if (!projection.partitionsOf) return;
    const now = after ? projection.partitionsOf(after) : [];
    const left = before ? projection.partitionsOf(before).filter((p) => !now.includes(p)) : [];
    for (const [partition, doc] of [...now.map((p) => [p, after] as const), ...left.map((p) => [p, null] as const)]) {
      const model = partitionModel(projection.model, partition);
      for (let attempt = 0; ; attempt++) {
        const copy = await this.readModels.get<unknown>(model, key);
        if ((copy?.position ?? 0) >= position) break;
        try {
          await this.readModels.put(model, key, doc, position, copy?.position ?? 0);
          break;
        } catch (error) {
          if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
        }
      }
    }
  }

  /**
   * Rebuild or catch-up: every commit of the ledger, stream by stream in order (as the store's scan yields
   * them), into the read models; what they already hold is skipped. Returns the number of events scanned.
   * `each` sees every commit scanned (the local runtime finds there the reactions a crash may have lost).
   */
  async replayAll(each?: (commit: Commit) => void): Promise<number> {
    let count = 0;
    let run: Commit[] = [];
    for await (const commit of this.store.scan()) {
      count += commit.events.length;
      each?.(commit);
      if (run.length && run[0]!.stream !== commit.stream) {
        await this.applyRun(run);
        run = [];
      }
      run.push(commit);
    }
    await this.applyRun(run);
    return count;
  }
}
