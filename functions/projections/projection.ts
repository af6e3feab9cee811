import type { RecordedEvent } from '../../events/registry.js';

/**
 * A read model made of one document per source stream. `evolve` is pure, so applying the same commits in
 * the same order always gives the same document: replays and rebuilds are byte-identical.
 */
export interface DocumentProjection<D> {
  model: string;
  /** The document key for a source stream, or undefined when this projection ignores the stream. */
  keyOf(stream: string): string | undefined;
  evolve(doc: D | undefined, event: RecordedEvent): D | undefined;
  /**
   * The partitions a list reads this document in (a centre's candidates, a juror's sessions, the jurors of a
   * version): the projector keeps a copy of the document, under the same key and checkpoint, in the model
   * `partitionModel(model, partition)` of each, and empties (null) the copy in a partition the document left. So a
   * list is one Query of one partition, never a read of the whole model.
   */
  partitionsOf?(doc: D): readonly string[];
}

/** The model holding the copies of one partition's documents. */
export const partitionModel = (model: string, partition: string) => `${model}@${partition}`;

/** The documents of one partition (one Query), the emptied copies left out. */
export async function readPartition<D>(readModels: { list<T>(model: string): Promise<{ key: string; doc: T }[]> }, projection: DocumentProjection<D>, partition: string) {
  return (await readModels.list<D | null>(partitionModel(projection.model, partition))).flatMap((d) => (d.doc ? [d.doc] : []));
}
