import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { localDynamoClient } from '../../functions/adapters/dynamodb-client.js';
import { DynamoVerificationLog } from '../../functions/adapters/dynamodb-verification-log.js';
import { MemoryVerificationLog } from '../../functions/adapters/memory-verification-log.js';
import { startDynalite } from '../support/dynalite.js';
import { verificationLogContract } from './verification-log.contract.js';

verificationLogContract('in-memory', async () => {
  const log = new MemoryVerificationLog();
  return { log, another: () => log.another(), storedItems: (code) => log.storedEntries(code), stop: async () => {} };
});

/** Every item under a code, counters and tallies included. */
const storedItems = (client: DynamoDBClient, table: string) => async (code: string) =>
  (await client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :code', ExpressionAttributeValues: { ':code': { S: code } }, Select: 'COUNT' }))).Count ??
  0;

verificationLogContract('DynamoDB on dynalite (grouped BatchWriteItem, tallies by UpdateItem)', async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'ledger-verifications');
  return {
    log: new DynamoVerificationLog(dynamo.client, 'ledger-verifications'),
    another: () => new DynamoVerificationLog(dynamo.client, 'ledger-verifications'),
    storedItems: storedItems(dynamo.client, 'ledger-verifications'),
    stop: dynamo.stop,
  };
});

// A network that delivers every write twice, as the SDK's retry of a write whose answer was lost does (the answer
// of the second delivery is the one returned): no verification may count twice.
verificationLogContract('DynamoDB on dynalite, every write delivered twice (a retry after a lost answer)', async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'ledger-verifications');
  const lossy = localDynamoClient(dynamo.endpoint);
  lossy.middlewareStack.add(
    (next, context) => async (args) => {
      if (!['UpdateItemCommand', 'BatchWriteItemCommand'].includes(context.commandName ?? '')) return next(args);
      await next(args);
      return next(args);
    },
    { step: 'deserialize', name: 'deliverWritesTwice' },
  );
  return {
    log: new DynamoVerificationLog(lossy, 'ledger-verifications'),
    another: () => new DynamoVerificationLog(lossy, 'ledger-verifications'),
    storedItems: storedItems(dynamo.client, 'ledger-verifications'),
    stop: async () => {
      lossy.destroy();
      await dynamo.stop();
    },
  };
});
