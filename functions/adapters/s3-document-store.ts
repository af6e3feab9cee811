import type { S3Client } from '@aws-sdk/client-s3';
import { sha256 } from '../../events/canonical-json.js';
import type { DocumentStore } from '../ports/document-store.js';

// The SDK package is imported on first use, not at module load: a Lambda that never touches S3 never loads it
// (esbuild leaves the import of an external package dynamic).
const sdk = () => import('@aws-sdk/client-s3');

export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly client: Pick<S3Client, 'send'>,
    private readonly bucket: string,
    /**
     * Pre-signed download URLs (AWS), signed with this S3 client (the pre-signer needs the client itself, not only
     * its `send`); absent where the browser cannot reach the bucket (s3rver inside `npm start`).
     */
    private readonly options: {
      presignWith?: () => Promise<S3Client>;
      /**
       * The role may not list the bucket (the documents: a listing would give away every certificate code), so S3
       * answers a missing key with 403 AccessDenied, not NoSuchKey: taken as absent too.
       */
      unlisted?: boolean;
    } = {},
  ) {}

  async downloadUrl(key: string, fileName: string, expiresInSeconds: number): Promise<string | undefined> {
    if (!this.options.presignWith) return undefined;
    const [{ GetObjectCommand }, { getSignedUrl }, client] = await Promise.all([sdk(), import('@aws-sdk/s3-request-presigner'), this.options.presignWith()]);
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"` });
    return getSignedUrl(client, command, { expiresIn: expiresInSeconds });
  }

  async put(key: string, body: Uint8Array | string, contentType: string) {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const { PutObjectCommand } = await sdk();
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
    return { key, sha256: sha256(bytes) };
  }

  async get(key: string) {
    const { GetObjectCommand, NoSuchKey } = await sdk();
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { body: await out.Body!.transformToByteArray(), contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (error instanceof NoSuchKey || name === 'NoSuchKey') return undefined;
      if (this.options.unlisted && name === 'AccessDenied') return undefined;
      throw error;
    }
  }
}
