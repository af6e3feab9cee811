import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import type { InitializeMiddleware } from '@smithy/types';
import dynalite from 'dynalite';
import { describe, expect, it, vi } from 'vitest';
import { dynamoClient, localDynamoClient, SOCKET_AUTHORIZATION } from '../../functions/adapters/dynamodb-client.js';
import { startDynalite } from '../support/dynalite.js';

const listening = (server: Server, socket: string) => new Promise<void>((resolve) => server.listen(socket, resolve));
const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('the ledger’s DynamoDB client', () => {
  it('leaves out the SDK’s logger middleware: nothing filters each input and output for a logger', async () => {
    const dynamo = await startDynalite();
    try {
      const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const config = { endpoint: dynamo.endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, logger };
      // The SDK's own client hands each call, filtered, to its logger (the no-op one unless told otherwise)…
      const plain = new DynamoDBClient(config);
      await plain.send(new ListTablesCommand({}));
      expect(logger.info).toHaveBeenCalledTimes(1);
      // …the ledger's does not, and still answers.
      const ledgers = dynamoClient(config);
      expect((await ledgers.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      expect(logger.info).toHaveBeenCalledTimes(1);
      expect(ledgers.middlewareStack.identify().some((name) => name.startsWith('loggerMiddleware'))).toBe(false);
      for (const c of [plain, ledgers]) c.destroy();
    } finally {
      await dynamo.stop();
    }
  });

  it('resolves its middleware stack once per command, not on every call (the SDK’s cacheMiddleware)', async () => {
    const dynamo = await startDynalite();
    const client = localDynamoClient(dynamo.endpoint);
    const uncached = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await client.send(new ListTablesCommand({}));
      // A middleware added after the first call is not in the chain already resolved for ListTables…
      const seen = vi.fn();
      const addedLate: InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => (args) => {
        seen();
        return next(args);
      };
      client.middlewareStack.add(addedLate, { step: 'initialize', name: 'addedLate' });
      await client.send(new ListTablesCommand({}));
      expect(seen).not.toHaveBeenCalled();
      // …where a client without the cache would resolve it again and run it.
      await uncached.send(new ListTablesCommand({}));
      uncached.middlewareStack.add(addedLate, { step: 'initialize', name: 'addedLate' });
      await uncached.send(new ListTablesCommand({}));
      expect(seen).toHaveBeenCalledTimes(1);
    } finally {
      for (const c of [client, uncached]) c.destroy();
      await dynamo.stop();
    }
  });

  it('on the embedded dynalite’s socket, sends a fixed authorization instead of signing each call; by its endpoint, signs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-socket-'));
    const seen: IncomingHttpHeaders[] = [];
    // Stands where dynalite listens, to see what reaches it.
    const recorder = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"TableNames":[]}'));
    });
    const socket = join(dir, 'recorder.sock');
    await listening(recorder, socket);
    const credentials = { accessKeyId: 'stand-in', secretAccessKey: 'secret' };
    try {
      const bySocket = localDynamoClient('http://127.0.0.1:1', credentials, socket);
      await bySocket.send(new ListTablesCommand({}));
      expect(seen[0]?.authorization).toBe(SOCKET_AUTHORIZATION);
      bySocket.destroy();
      // A client given only the endpoint (another process, through the guard that checks signatures) signs.
      const byPort = createServer((req, res) => recorder.emit('request', req, res));
      await new Promise<void>((resolve) => byPort.listen(0, '127.0.0.1', resolve));
      const byEndpoint = localDynamoClient(`http://127.0.0.1:${(byPort.address() as AddressInfo).port}`, credentials);
      await byEndpoint.send(new ListTablesCommand({}));
      await closed(byPort);
      expect(seen[1]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=stand-in\/\d{8}\/eu-west-3\/dynamodb\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/);
      byEndpoint.destroy();
      // And the real dynalite answers the unsigned client on its socket.
      const db = dynalite({ createTableMs: 0 });
      const dbSocket = join(dir, 'dynamodb.sock');
      await listening(db, dbSocket);
      const embedded = localDynamoClient('http://127.0.0.1:1', credentials, dbSocket);
      expect((await embedded.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      embedded.destroy();
      await closed(db);
    } finally {
      await closed(recorder);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
