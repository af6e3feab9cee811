export interface ReadModelDoc<T> {
  key: string;
  doc: T;
  /** The last version of the source stream applied to this document: its own checkpoint. */
  position: number;
}

/**
 * Documents of the read models, keyed by what is read (DESIGN.md §3): each document sits in a partition
 * named `model#partition` (a candidate's record, a centre's sessions, the statistics of a version and year)
 * under a key of its own, and carries the checkpoint of the stream it is built from. There is no whole-model
 * listing: a reader gets one document or queries one partition, so no request grows with the ledger.
 */
export interface ReadModelStore {
  get<T>(partition: string, key: string): Promise<ReadModelDoc<T> | undefined>;
  /** Writes only if the stored position is still `expectedPosition` (0: absent); else ConcurrencyError. */
  put<T>(partition: string, key: string, doc: T, position: number, expectedPosition: number): Promise<void>;
  /** Every document of one partition, in key order. */
  query<T>(partition: string): Promise<ReadModelDoc<T>[]>;
  /**
   * Writes every document as given, whatever is stored (no checkpoint condition), in as few requests as the store
   * allows: only for a rebuild's fold (Projector.rebuildPage), the one writer of the documents it derives. A
   * partition and key given twice keeps the later one.
   */
  putAll(docs: readonly ReadModelWrite[]): Promise<void>;
}

/** One document of a rebuild's batch: where it goes, what it is, and the checkpoint it carries. */
export interface ReadModelWrite {
  partition: string;
  key: string;
  doc: unknown;
  position: number;
}

/** The partition of a read model for one subject: `model#id`. */
export const partitionOf = (model: string, id: string) => `${model}#${id}`;
