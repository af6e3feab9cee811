import type { Commit } from '../../events/envelope.js';
import { decodeEvent, type RecordedEvent } from '../../events/registry.js';
import { recordedEvents } from '../shared/command-handler.js';
import { ConcurrencyError, type EventStore, type ScanCursor, type ScanSegment } from '../ports/event-store.js';
import type { ReadModelStore, ReadModelWrite } from '../ports/read-model-store.js';
import { partitionOf } from '../ports/read-model-store.js';
import {
  docAt,
  foldEvents,
  HEADER_KEY,
  isPartitioned,
  type DocumentProjection,
  type IndexEntry,
  type PartitionedProjection,
  type Projection,
  type ProjectionFollower,
} from './projection.js';

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
    private readonly projections: readonly Projection[],
    private readonly followers: readonly ProjectionFollower[] = [],
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
    // The followers see the commits delivered and those read to fill a gap.
    const seen = new Map(commits.map((c) => [c.version, c]));
    for (const projection of this.projections) {
      const id = projection.keyOf(stream);
      if (id === undefined) continue;
      const applied = isPartitioned(projection)
        ? await this.applyToPartition(projection, id, stream, commits, decode)
        : await this.applyTo(projection as DocumentProjection<unknown>, id, stream, commits, decode);
      for (const c of applied) seen.set(c.version, c);
    }
    if (!this.followers.length) return;
    const events = [...seen.values()].sort((a, b) => a.version - b.version).flatMap(decode);
    for (const follower of this.followers) await follower.follow(stream, events, this.readModels);
  }

  private async applyTo(
    projection: DocumentProjection<unknown>,
    id: string,
    stream: string,
    delivered: readonly Commit[],
    decode: (commit: Commit) => RecordedEvent[],
    attempt = 0,
  ): Promise<readonly Commit[]> {
    const [partition, key] = docAt(projection, id);
    const current = await this.readModels.get<unknown>(partition, key);
    const position = current?.position ?? 0;
    if (delivered.at(-1)!.last <= position) {
      // Already applied; its index items may not be (a crash between the two writes): make sure they are.
      if (projection.index && current?.doc) await this.writeIndex(projection.index(current.doc), [], position);
      return [];
    }
    const commits = await this.commitsAfter(stream, delivered, position);
    const doc = foldEvents(projection, current?.doc ?? undefined, commits.length === 1 ? decode(commits[0]!) : commits.flatMap(decode));
    const last = commits.at(-1)!.last;
    try {
      await this.readModels.put(partition, key, doc ?? null, last, position);
    } catch (error) {
      // Another projector instance moved this document meanwhile: start again from what it wrote.
      if (error instanceof ConcurrencyError && attempt < 5) return this.applyTo(projection, id, stream, delivered, decode, attempt + 1);
      throw error;
    }
    if (projection.index) {
      const before = current?.doc ? projection.index(current.doc) : [];
      await this.writeIndex(doc ? projection.index(doc) : [], before, last);
    }
    return commits;
  }

  /** The commits after `position`, those delivered when they continue it, else read from the table. */
  private async commitsAfter(stream: string, delivered: readonly Commit[], position: number): Promise<readonly Commit[]> {
    let commits = delivered.filter((c) => c.last > position);
    if (!contiguousFrom(commits, position)) {
      // A gap (or a run with a hole): everything after the checkpoint, read from the table.
      commits = (await this.store.read(stream, position + 1)).commits.filter((c) => c.last > position);
      if (!commits.length || !contiguousFrom(commits, position)) throw new ProjectionGapError(stream, position, commits[0]?.version);
    }
    return commits;
  }

  /** A partitioned read model: each item changed by the commits, then the header with the checkpoint. */
  private async applyToPartition(
    projection: PartitionedProjection<unknown, unknown>,
    id: string,
    stream: string,
    delivered: readonly Commit[],
    decode: (commit: Commit) => RecordedEvent[],
    attempt = 0,
  ): Promise<readonly Commit[]> {
    const partition = partitionOf(projection.model, id);
    const header = await this.readModels.get<unknown>(partition, HEADER_KEY);
    const position = header?.position ?? 0;
    if (delivered.at(-1)!.last <= position) return [];
    const commits = await this.commitsAfter(stream, delivered, position);
    const last = commits.at(-1)!.last;
    let headerDoc: unknown = header?.doc ?? undefined;
    const byItem = new Map<string, RecordedEvent[]>();
    for (const commit of commits) {
      for (const event of decode(commit)) {
        const key = projection.itemOf(event);
        if (key === HEADER_KEY) headerDoc = projection.evolveHeader(headerDoc, event);
        else byItem.set(key, [...(byItem.get(key) ?? []), event]);
      }
    }
    try {
      for (const [key, events] of byItem) {
        const item = await this.readModels.get<unknown>(partition, key);
        const from = item?.position ?? 0;
        // Applied already when an earlier delivery stopped before the header: its events are skipped.
        const fresh = events.filter((e) => e.version > from);
        if (!fresh.length) continue;
        const doc = fresh.reduce<unknown>((d, e) => projection.evolveItem(d ?? undefined, e), item?.doc ?? undefined);
        // Its position is the version of its last event: the same however the commits were grouped.
        await this.readModels.put(partition, key, doc ?? null, fresh.at(-1)!.version, from);
      }
      await this.readModels.put(partition, HEADER_KEY, headerDoc ?? null, last, position);
    } catch (error) {
      if (error instanceof ConcurrencyError && attempt < 5) return this.applyToPartition(projection, id, stream, delivered, decode, attempt + 1);
      throw error;
    }
    return commits;
  }

  /** Each index item at the document's position, never back; the ones the document no longer derives become null. */
  private async writeIndex(entries: readonly IndexEntry[], before: readonly IndexEntry[], position: number): Promise<void> {
    const id = (e: IndexEntry) => `${e.partition}\u0000${e.key}`;
    const kept = new Set(entries.map(id));
    const all = [...entries, ...before.filter((e) => !kept.has(id(e))).map((e) => ({ ...e, value: null }))];
    for (const entry of all) {
      for (let attempt = 0; ; attempt++) {
        const stored = await this.readModels.get<unknown>(entry.partition, entry.key);
        if ((stored?.position ?? 0) >= position) break;
        try {
          await this.readModels.put(entry.partition, entry.key, entry.value, position, stored?.position ?? 0);
          break;
        } catch (error) {
          if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
        }
      }
    }
  }

  /**
   * A rebuild's page, into read models that hold nothing but what this rebuild writes (an emptied or a new table):
   * one synchronous fold of the page, stream by stream (each commit decoded once, every projection evolved in
   * memory), then every resulting document written in one batch, with the position the live projector gives it
   * (a document at its stream's last version, a partition's item at the version of its last event, index items at
   * their document's). No read and no conditional write per stream: the fold owns the documents it derives. A
   * stream that the page takes up in the middle (the page before ended inside it) goes through `applyRun` from the
   * document's checkpoint; so does every stream when the page is applied again (a retried invocation), whose
   * streams from their first version are folded again into the same documents. The followers then see each stream's
   * events, over the documents written. Returns the number of events the page holds.
   */
  async rebuildPage(commits: readonly Commit[]): Promise<number> {
    // Each stream's documents are its own (a scan yields a stream's commits together, so one run per page): no
    // two of them share a key. Index items may be shared by documents of several streams: the latest one is kept.
    const documents: ReadModelWrite[] = [];
    const write: Write = (partition, key, doc, position) => {
      documents.push({ partition, key, doc: doc ?? null, position });
    };
    const indexed = new Map<string, ReadModelWrite>();
    const followed: { stream: string; events: RecordedEvent[] }[] = [];
    const reading: Projection[] = [];
    const ids: string[] = [];
    let count = 0;
    let start = 0;
    while (start < commits.length) {
      const stream = commits[start]!.stream;
      reading.length = 0;
      ids.length = 0;
      for (const projection of this.projections) {
        const id = projection.keyOf(stream);
        if (id === undefined) continue;
        reading.push(projection);
        ids.push(id);
      }
      // A stream nothing reads is not decoded (the change feed's applyRun decodes only for a projection or a follower).
      const decoding = reading.length > 0 || this.followers.length > 0;
      // The stream's run, in one pass over its commits (each read once, while it is at hand): its end, its events
      // and whether it starts at version 1 unbroken.
      const events: RecordedEvent[] = [];
      let end = start;
      let next = 1;
      let whole = true;
      for (; end < commits.length; end++) {
        const commit = commits[end]!;
        if (commit.stream !== stream) break;
        if (commit.version !== next) whole = false;
        next = commit.last + 1;
        const stored = commit.events;
        count += stored.length;
        if (!decoding || !whole) continue;
        for (let i = 0; i < stored.length; i++) {
          const { type, data } = decodeEvent(stored[i]!);
          events.push({ type, data, eventId: stored[i]!.eventId, meta: stored[i]!.meta, stream, version: commit.version + i } as RecordedEvent);
        }
      }
      const from = start;
      start = end;
      if (!whole) {
        // Taken up in the middle: from what the table holds, as the change feed would (its followers included).
        await this.applyRun(commits.slice(from, end));
        continue;
      }
      if (!decoding) continue;
      const last = next - 1;
      for (let p = 0; p < reading.length; p++) {
        const projection = reading[p]!;
        if (isPartitioned(projection)) foldPartition(projection, partitionOf(projection.model, ids[p]!), events, last, write);
        else foldDocument(projection as DocumentProjection<unknown>, ids[p]!, events, last, write, indexed);
      }
      if (this.followers.length) followed.push({ stream, events });
    }
    if (indexed.size) documents.push(...indexed.values());
    if (documents.length) await this.readModels.putAll(documents);
    for (const { stream, events } of followed) for (const follower of this.followers) await follower.follow(stream, events, this.readModels);
    return count;
  }

  /**
   * A rebuild of the whole ledger (or of one scan segment) into read models that hold nothing yet: the scan read
   * page by page, each page folded by `rebuildPage`. Returns the number of events scanned.
   */
  async rebuildAll(segment?: ScanSegment, pageSize?: number): Promise<number> {
    let count = 0;
    let after: ScanCursor | undefined;
    do {
      const page = await this.store.scanPage({ ...(segment ? { segment } : {}), ...(after ? { after } : {}), ...(pageSize ? { limit: pageSize } : {}) });
      count += await this.rebuildPage(page.commits);
      after = page.next;
    } while (after);
    return count;
  }

  /**
   * Rebuild or catch-up: every commit of the ledger, stream by stream in order (as the store's scan yields
   * them), into the read models; what they already hold is skipped. Returns the number of events scanned.
   * `each` sees every commit scanned (the local runtime finds there the reactions a crash may have lost). With a
   * segment, only that part of the ledger: the segments of one scan can be replayed in parallel, since a stream is
   * never split between them and every document belongs to one stream.
   */
  async replayAll(each?: (commit: Commit) => void, segment?: ScanSegment): Promise<number> {
    let count = 0;
    let run: Commit[] = [];
    for await (const commit of this.store.scan(segment)) {
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

/** A rebuilt page's document (or partition item) at its position. */
type Write = (partition: string, key: string, doc: unknown, position: number) => void;

/** A document folded from its stream's first event; its index items at its position (none existed before it). */
function foldDocument(projection: DocumentProjection<unknown>, id: string, events: readonly RecordedEvent[], last: number, write: Write, indexed: Map<string, ReadModelWrite>) {
  const doc = foldEvents(projection, undefined, events);
  const [partition, key] = docAt(projection, id);
  write(partition, key, doc, last);
  if (!projection.index || !doc) return;
  for (const entry of projection.index(doc)) {
    // Never back, as writeIndex: an item another document of the page put later in its stream stays.
    const id = `${entry.partition}\u0000${entry.key}`;
    const earlier = indexed.get(id);
    if (!earlier || earlier.position < last) indexed.set(id, { partition: entry.partition, key: entry.key, doc: entry.value ?? null, position: last });
  }
}

/** A partition folded from its stream's first event: each item at its last event's version, the header at the stream's. */
function foldPartition(projection: PartitionedProjection<unknown, unknown>, partition: string, events: readonly RecordedEvent[], last: number, write: Write) {
  let header: unknown;
  const items = new Map<string, { doc: unknown; position: number }>();
  for (const event of events) {
    const key = projection.itemOf(event);
    if (key === HEADER_KEY) {
      header = projection.evolveHeader(header, event);
      continue;
    }
    const item = items.get(key);
    const doc = projection.evolveItem((item?.doc ?? undefined) as unknown, event);
    if (item) {
      item.doc = doc;
      item.position = event.version;
    } else items.set(key, { doc, position: event.version });
  }
  for (const [key, item] of items) write(partition, key, item.doc, item.position);
  write(partition, HEADER_KEY, header, last);
}
