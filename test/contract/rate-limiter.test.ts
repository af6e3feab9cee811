import { LeasingRateLimiter } from '../../functions/adapters/leasing-rate-limiter.js';
import { DynamoRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { MemoryRateLimiter } from '../../functions/adapters/memory-rate-limiter.js';
import type { RateLimit, RateLimiter } from '../../functions/ports/rate-limiter.js';
import { startDynalite } from '../support/dynalite.js';
import { rateLimiterContract } from './rate-limiter.contract.js';

rateLimiterContract('in-memory', async () => {
  // Instances made with the same rule share their counts, as instances on one table do.
  const shared = new Map<string, MemoryRateLimiter>();
  const limiter = (rule: RateLimit) => {
    const id = JSON.stringify(rule);
    if (!shared.has(id)) shared.set(id, new MemoryRateLimiter(rule));
    return shared.get(id)!;
  };
  return { limiter, stop: async () => {} };
});

const onDynalite = (wrap: (limiter: DynamoRateLimiter) => RateLimiter) => async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'ledger-rate-limit', false);
  return { limiter: (rule: RateLimit) => wrap(new DynamoRateLimiter(dynamo.client, 'ledger-rate-limit', rule)), stop: dynamo.stop };
};

rateLimiterContract(
  'DynamoDB on dynalite (one conditional ADD per call)',
  onDynalite((limiter) => limiter),
);
rateLimiterContract(
  'leasing, over DynamoDB on dynalite',
  onDynalite((limiter) => new LeasingRateLimiter(limiter)),
);
