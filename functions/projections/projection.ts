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
}
