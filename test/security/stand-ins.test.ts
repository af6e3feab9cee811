import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../functions/adapters/dynamodb-client.js';
import { localS3Client } from '../../functions/adapters/local-s3-client.js';
import { LOCAL_BUCKETS } from '../../functions/composition/local-ledger.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';

// Issue 17: the embedded S3 and DynamoDB needed no credentials (any local process listed every certificate code)
// and the data dir was readable by other users.

const WRONG = { accessKeyId: 'LOCALAAAAAAAAAAAAAAAA', secretAccessKey: 'not-the-secret-of-this-data-dir-at-all' };

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [join(dir, e.name), ...walk(join(dir, e.name))] : [join(dir, e.name)]));
}

describe('the local stand-ins answer only requests signed with the data dir’s credentials', () => {
  let L: LocalLedger;
  let s3Endpoint: string;
  beforeAll(async () => {
    L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
    s3Endpoint = L.s3Endpoint;
  }, 60_000);
  afterAll(async () => {
    await L?.stop();
  });

  it('they listen on loopback only (the stand-ins themselves on unix sockets in a 0700 folder)', () => {
    for (const endpoint of [L.dynamoEndpoint, s3Endpoint]) expect(new URL(endpoint).hostname).toBe('127.0.0.1');
    const sockets = join(L.dataDir, 'sockets');
    expect(statSync(sockets).mode & 0o777).toBe(0o700);
    expect(readdirSync(sockets).sort()).toEqual(['dynamodb.sock', 's3.sock']);
    for (const name of readdirSync(sockets)) expect(statSync(join(sockets, name)).isSocket()).toBe(true);
  });

  it('DynamoDB: an unsigned request and one signed with another key are refused; the data dir’s key lists the tables', async () => {
    const unsigned = await fetch(L.dynamoEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).not.toContain('ledger-events');
    // dynalite alone takes any Authorization header of the right form: this one names a key without its secret.
    const forged = await fetch(L.dynamoEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        authorization: `AWS4-HMAC-SHA256 Credential=${L.standInCredentials.accessKeyId}/20250901/eu-west-3/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
      body: '{}',
    });
    expect(forged.status).toBe(403);
    const wrong = localDynamoClient(L.dynamoEndpoint, WRONG);
    await expect(wrong.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    const stolenId = new DynamoDBClient({
      endpoint: L.dynamoEndpoint,
      region: 'eu-west-3',
      credentials: { ...WRONG, accessKeyId: L.standInCredentials.accessKeyId },
      maxAttempts: 1,
    });
    await expect(stolenId.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    const right = localDynamoClient(L.dynamoEndpoint, L.standInCredentials);
    expect((await right.send(new ListTablesCommand({}))).TableNames).toContain('ledger-events');
    for (const c of [wrong, stolenId, right]) c.destroy();
  });

  it('the process that embeds dynalite calls it on its socket, with no guard between them (the socket is in the 0700 folder)', async () => {
    // What the local composition does with its own client: the guard is for the other processes.
    const own = localDynamoClient(L.dynamoEndpoint, WRONG, join(L.dataDir, 'sockets', 'dynamodb.sock'));
    expect((await own.send(new ListTablesCommand({}))).TableNames).toContain('ledger-events');
    own.destroy();
  });

  it('S3: an unsigned listing and one signed with another key are refused; the data dir’s key lists the bucket', async () => {
    const unsigned = await fetch(`${s3Endpoint}/${LOCAL_BUCKETS.documents}?list-type=2`);
    expect(unsigned.status).toBe(403);
    const wrong = localS3Client(s3Endpoint, WRONG);
    await expect(wrong.send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKETS.documents }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    // s3rver alone takes only its own well-known key, and anonymous requests: that key is refused too.
    const wellKnown = localS3Client(s3Endpoint);
    await expect(wellKnown.send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKETS.documents }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    const right = localS3Client(s3Endpoint, L.standInCredentials);
    expect((await right.send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKETS.documents }))).$metadata.httpStatusCode).toBe(200);
    for (const c of [wrong, wellKnown, right]) c.destroy();
  });

  it('the data dir is its user’s only: folders 0700, files 0600, the credentials among them', () => {
    expect(statSync(L.dataDir).mode & 0o777).toBe(0o700);
    const entries = walk(L.dataDir).filter((p) => !statSync(p).isSocket());
    expect(entries).toContain(join(L.dataDir, 'stand-in-credentials.json'));
    const open = entries.filter((p) => statSync(p).mode & 0o077).map((p) => `${p.slice(L.dataDir.length)} ${(statSync(p).mode & 0o777).toString(8)}`);
    expect(open).toEqual([]);
  });
});
