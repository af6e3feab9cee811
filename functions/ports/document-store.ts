/** One bucket of documents (certificate PDFs, statistics exports). S3 in AWS, s3rver locally. */
export interface DocumentStore {
  put(key: string, body: Uint8Array | string, contentType: string): Promise<{ key: string; sha256: string }>;
  /** undefined when there is no such document. */
  get(key: string): Promise<{ body: Uint8Array; contentType: string } | undefined>;
  /**
   * A time-limited URL the browser downloads the document from directly (a pre-signed S3 GET in AWS, so the bytes
   * never pass through a Lambda), saved as `fileName`; undefined where there is none (locally: the route serves the
   * bytes).
   */
  downloadUrl(key: string, fileName: string, expiresInSeconds: number): Promise<string | undefined>;
}
