import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { sha256 } from '../../events/canonical-json.js';
import type { DocumentStore } from '../ports/document-store.js';

export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** Pre-signed download URLs (AWS); off where the browser cannot reach the bucket (s3rver inside `npm start`). */
    private readonly options: { presign?: boolean } = {},
  ) {}

  async downloadUrl(key: string, fileName: string, expiresInSeconds: number): Promise<string | undefined> {
    if (!this.options.presign) return undefined;
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"` });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }

  async put(key: string, body: Uint8Array | string, contentType: string) {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
    return { key, sha256: sha256(bytes) };
  }

  async get(key: string) {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { body: await out.Body!.transformToByteArray(), contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}

/**
 * A client for the embedded s3rver. s3rver stores streamed bodies corrupted under the SDK's default
 * flexible checksums, hence WHEN_REQUIRED; it only accepts the S3RVER credentials.
 */
export function localS3Client(endpoint: string): S3Client {
  const config: S3ClientConfig = {
    endpoint,
    region: 'eu-west-3',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  return new S3Client(config);
}
