import { BatchingReadModelStore } from '../../functions/adapters/batching-read-model-store.js';
import { DynamoReadModelStore, ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import { startDynalite } from '../support/dynalite.js';
import { readModelStoreContract } from './read-model-store.contract.js';

readModelStoreContract('in memory', async () => ({ store: new MemoryReadModelStore(), stop: async () => {} }));

readModelStoreContract('DynamoDB on dynalite (conditional PutItem on the checkpoint, paged Query)', async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'read-models');
  return { store: new DynamoReadModelStore(dynamo.client, 'read-models'), stop: dynamo.stop };
});

// What the routes read through (aws-ledger, local-ledger): concurrent gets gathered into BatchGetItem.
readModelStoreContract('batching reads over DynamoDB on dynalite (BatchGetItem)', async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'read-models');
  return { store: new BatchingReadModelStore(new DynamoReadModelStore(dynamo.client, 'read-models'), dynamo.client, 'read-models'), stop: dynamo.stop };
});
