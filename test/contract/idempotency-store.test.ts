import { DynamoIdempotencyStore } from '../../functions/adapters/dynamodb-idempotency-store.js';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { MemoryIdempotencyStore } from '../../functions/adapters/memory-idempotency-store.js';
import { startDynalite } from '../support/dynalite.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';

idempotencyStoreContract('in-memory', async () => ({ store: new MemoryIdempotencyStore(), stop: async () => {} }));

idempotencyStoreContract('DynamoDB on dynalite (one conditional UpdateItem per claim)', async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'ledger-idempotency', false);
  return { store: new DynamoIdempotencyStore(dynamo.client, 'ledger-idempotency'), stop: dynamo.stop };
});
