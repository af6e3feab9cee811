import type { RecordedEvent } from '../../events/registry.js';
import { partitionOf, type ReadModelStore } from '../ports/read-model-store.js';

/** An item a document puts in a partition keyed by what is read (a session's line among its centre's sessions). */
export interface IndexEntry {
  partition: string;
  key: string;
  value: unknown;
}

/**
 * A read model made of one document per source stream. `evolve` is pure, so applying the same commits in
 * the same order always gives the same document: replays and rebuilds are byte-identical.
 */
export interface DocumentProjection<D> {
  model: string;
  /** The subject a source stream's document is about (its id), or undefined when this projection ignores the stream. */
  keyOf(stream: string): string | undefined;
  /** Where a subject's document lives; by default its own partition, `model#id`, under the key `id`. */
  at?(id: string): readonly [partition: string, key: string];
  evolve(doc: D | undefined, event: RecordedEvent): D | undefined;
  /**
   * Several events at once (a delivery's commits, a rebuilt stream), the same as evolving them one by one: a document
   * that grows with its stream (a session's candidates) is then copied once per fold, not once per event. It never
   * changes `doc`: what it changes in place is its own copy, made at the start.
   */
  fold?(doc: D | undefined, events: readonly RecordedEvent[]): D | undefined;
  /**
   * The items the document puts in other partitions, for readers that look it up by something other than its
   * stream (a centre's sessions): written after the document with its position; an item the document no longer
   * derives is overwritten with null.
   */
  index?(doc: D): IndexEntry[];
}

/** A document evolved by a run of events: its projection's fold, or each event's evolve. */
export function foldEvents<D>(projection: DocumentProjection<D>, doc: D | undefined, events: readonly RecordedEvent[]): D | undefined {
  if (projection.fold) return projection.fold(doc, events);
  for (const event of events) doc = projection.evolve(doc, event);
  return doc;
}

/** The partition and key of a subject's document. */
export const docAt = (projection: Pick<DocumentProjection<unknown>, 'model' | 'at'>, id: string): readonly [string, string] =>
  projection.at ? projection.at(id) : [partitionOf(projection.model, id), id];

/** A subject's document, read where its projection keeps it. */
export const readDoc = <D>(readModels: ReadModelStore, projection: Pick<DocumentProjection<D>, 'model' | 'at'>, id: string) => readModels.get<D>(...docAt(projection, id));

/**
 * What runs after the documents of a commit are written, on every delivery of it (duplicates included, so a
 * crash between the documents and it is repaired by the next delivery): aggregates kept from those documents.
 */
export interface ProjectionFollower {
  name: string;
  follow(stream: string, events: readonly RecordedEvent[], readModels: ReadModelStore): Promise<void>;
}

/**
 * A read model made of one partition per source stream (`model#id`): a header, which carries the stream's
 * checkpoint, and items each event of which changes one (a session's candidates). Every item keeps the last
 * version applied to it, so a commit re-delivered after a crash between the item and the header is not applied
 * twice; an event rewrites its own item and the header, never the whole partition.
 */
export interface PartitionedProjection<H, I> {
  model: string;
  keyOf(stream: string): string | undefined;
  /** The key of the item an event changes: HEADER_KEY (the header) or one item's. */
  itemOf(event: RecordedEvent): string;
  evolveHeader(header: H | undefined, event: RecordedEvent): H | undefined;
  evolveItem(item: I | undefined, event: RecordedEvent): I | undefined;
}

/** The key of a partitioned read model's header item. */
export const HEADER_KEY = '#header';

export type Projection = DocumentProjection<any> | PartitionedProjection<any, any>;
export const isPartitioned = (p: Projection): p is PartitionedProjection<unknown, unknown> => 'itemOf' in p;
