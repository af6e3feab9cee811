import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '../../functions/adapters/s3-document-store.js';

// Without s3:ListBucket (the documents bucket: a listing gives away every certificate code) S3 answers a missing key
// with 403 AccessDenied instead of NoSuchKey.
const accessDenied = () => new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });

describe('S3DocumentStore on a bucket its role may not list', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());

  it('given an unlisted store, when S3 answers AccessDenied, then the document is absent', async () => {
    s3.on(GetObjectCommand).rejects(accessDenied());
    const store = new S3DocumentStore(new S3Client({ region: 'eu-west-3' }), 'documents', { unlisted: true });
    expect(await store.get('certificates/NOPE.pdf')).toBeUndefined();
  });

  it('given a listed store, when S3 answers AccessDenied, then it is an error (a missing grant, not a missing key)', async () => {
    s3.on(GetObjectCommand).rejects(accessDenied());
    const store = new S3DocumentStore(new S3Client({ region: 'eu-west-3' }), 'exports');
    await expect(store.get('nope.csv')).rejects.toThrow('Access Denied');
  });
});
