import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { dynamoClient } from '../../functions/adapters/dynamodb-client.js';
import { startDynalite } from '../support/dynalite.js';

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
});
