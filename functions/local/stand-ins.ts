import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { LOCAL_BUCKETS } from '../composition/local-ledger.js';
import { dynamoRefusal, s3Refusal, socketFolder, type StandInCredentials, standInCredentials, startSigV4Guard } from './stand-in-guard.js';

export interface LocalStandIns {
  /** The loopback address of dynalite's guard: requests signed with `credentials` only. */
  dynamoEndpoint: string;
  /** dynalite's own socket (0700 folder), for the process that embeds it: no guard between them. */
  dynamoSocket: string;
  /** The loopback address of s3rver's guard. */
  s3Endpoint: string;
  credentials: StandInCredentials;
  close(): Promise<void>;
}

/**
 * dynalite and s3rver on a data dir, the way every local process opens them (`npm start` and each one-off
 * command alike): each on a unix socket in a 0700 folder, reached only through a SigV4 guard on loopback that
 * checks the data dir's random credentials. No stand-in ever listens on a TCP port itself (issue 17).
 *
 * `sockets: 'private'` puts the sockets in a fresh folder of their own, not the data dir's `sockets/`: a one-off
 * command started while `npm start` still holds the data dir must not remove that server's sockets before it
 * finds out the data dir is locked.
 */
export async function startLocalStandIns(options: { dataDir: string; inMemory?: boolean; sockets?: 'data-dir' | 'private' }): Promise<LocalStandIns> {
  const { dataDir } = options;
  const credentials = standInCredentials(dataDir);
  const sockets = options.sockets === 'private' ? privateSocketFolder() : socketFolder(dataDir);
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.inMemory ? {} : { path: join(dataDir, 'dynamodb') }) });
  const dynamoSocket = join(sockets.path, 'dynamodb.sock');
  await new Promise<void>((resolve) => dynamo.listen(dynamoSocket, resolve));
  const s3Socket = join(sockets.path, 's3.sock');
  const s3 = new S3rver({
    port: s3Socket,
    silent: true,
    directory: join(dataDir, 's3'),
    configureBuckets: Object.values(LOCAL_BUCKETS).map((name) => ({ name })),
  });
  await s3.run();
  const dynamoGuard = await startSigV4Guard({ socketPath: dynamoSocket, credentials, forwardAuthorization: true, refusal: dynamoRefusal });
  const s3Guard = await startSigV4Guard({ socketPath: s3Socket, credentials, forwardAuthorization: false, refusal: s3Refusal });
  return {
    dynamoEndpoint: dynamoGuard.endpoint,
    dynamoSocket,
    s3Endpoint: s3Guard.endpoint,
    credentials,
    async close() {
      await Promise.all([dynamoGuard.close(), s3Guard.close()]);
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
      await s3.close();
      sockets.dispose();
    },
  };
}

function privateSocketFolder() {
  const made = mkdtempSync(join(tmpdir(), 'ledger-sockets-'));
  chmodSync(made, 0o700);
  return { path: made, dispose: () => rmSync(made, { recursive: true, force: true }) };
}
