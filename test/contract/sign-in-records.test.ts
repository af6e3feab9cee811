import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { DynamoSignInRecords } from '../../functions/adapters/dynamodb-sign-in-records.js';
import { MemorySignInRecords } from '../../functions/adapters/memory-sign-in-records.js';
import { startDynalite } from '../support/dynalite.js';
import { signInRecordsContract } from './sign-in-records.contract.js';

signInRecordsContract('in memory', async () => ({ records: new MemorySignInRecords(), stop: async () => {} }));

signInRecordsContract('DynamoDB on dynalite (pk = ledger id, conditional PutItem on the version)', async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'ledger-sign-ins', false);
  return { records: new DynamoSignInRecords(dynamo.client, 'ledger-sign-ins'), stop: dynamo.stop };
});
