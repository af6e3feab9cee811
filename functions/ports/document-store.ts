/** One bucket of documents (certificate PDFs, statistics exports). S3 in AWS, s3rver locally. */
export interface DocumentStore {
  put(key: string, body: Uint8Array | string, contentType: string): Promise<{ key: string; sha256: string }>;
  /** undefined when there is no such document. */
  get(key: string): Promise<{ body: Uint8Array; contentType: string } | undefined>;
}
