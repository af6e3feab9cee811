import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { DynamoAccessLog } from '../../functions/adapters/dynamodb-access-log.js';
import { MemoryAccessLog } from '../../functions/adapters/memory-access-log.js';
import { startDynalite } from '../support/dynalite.js';
import { accessLogContract } from './access-log.contract.js';

accessLogContract('in-memory', async () => ({ log: new MemoryAccessLog(), stop: async () => {} }));

accessLogContract('DynamoDB on dynalite (the verifications table)', async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'ledger-verifications');
  return { log: new DynamoAccessLog(dynamo.client, 'ledger-verifications'), stop: dynamo.stop };
});
