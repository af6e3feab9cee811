import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * A client for the embedded s3rver. s3rver stores streamed bodies corrupted under the SDK's default
 * flexible checksums, hence WHEN_REQUIRED; by itself it only accepts the S3RVER credentials, behind `npm start`'s
 * guard the data dir's (functions/local/stand-in-guard.ts).
 */
export function localS3Client(endpoint: string, credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }): S3Client {
  const config: S3ClientConfig = {
    endpoint,
    region: 'eu-west-3',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials,
  };
  return new S3Client(config);
}
