export interface ReadModelDoc<T> {
  key: string;
  doc: T;
  /** The last version of the source stream applied to this document: its own checkpoint. */
  position: number;
}

/** Documents of the read models, each carrying the checkpoint of the one stream it is built from. */
export interface ReadModelStore {
  get<T>(model: string, key: string): Promise<ReadModelDoc<T> | undefined>;
  /** Writes only if the stored position is still `expectedPosition` (0: absent); else ConcurrencyError. */
  put<T>(model: string, key: string, doc: T, position: number, expectedPosition: number): Promise<void>;
  list<T>(model: string): Promise<ReadModelDoc<T>[]>;
}
