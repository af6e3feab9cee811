import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { DynamoVerificationLog } from '../../functions/adapters/dynamodb-verification-log.js';
import { MemoryVerificationLog } from '../../functions/adapters/memory-verification-log.js';
import { startDynalite } from '../support/dynalite.js';
import { verificationLogContract } from './verification-log.contract.js';

verificationLogContract('in-memory', async () => ({ log: new MemoryVerificationLog(), stop: async () => {} }));

verificationLogContract('DynamoDB on dynalite (grouped BatchWriteItem)', async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'ledger-verifications');
  return { log: new DynamoVerificationLog(dynamo.client, 'ledger-verifications'), stop: dynamo.stop };
});
