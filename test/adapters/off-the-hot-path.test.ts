import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { CoalescingRateLimiter } from '../../functions/adapters/coalescing-rate-limiter.js';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { DynamoVerificationLog } from '../../functions/adapters/dynamodb-verification-log.js';
import { MemoryRateLimiter } from '../../functions/adapters/memory-rate-limiter.js';
import { startDynalite } from '../support/dynalite.js';

const T0 = Date.parse('2025-09-01T08:00:00.000Z');

describe('the limiter and the verification log cost no round trip per request under load', () => {
  it('coalesces the hits of one address that arrive during an update into the next one', async () => {
    const inner = new MemoryRateLimiter({ limit: 1000, windowSeconds: 60 });
    const take = vi.spyOn(inner, 'take');
    const limiter = new CoalescingRateLimiter(inner);
    const answers = await Promise.all(Array.from({ length: 64 }, () => limiter.take('10.0.0.1', T0)));
    expect(answers.every((a) => a.admitted === 1)).toBe(true);
    expect(take.mock.calls.length).toBeLessThanOrEqual(2);
    expect(take.mock.calls.reduce((n, [, , hits]) => n + (hits ?? 1), 0)).toBe(64);
  });

  it('once a window is full, refuses without asking the store until the window ends', async () => {
    const inner = new MemoryRateLimiter({ limit: 2, windowSeconds: 60 });
    const take = vi.spyOn(inner, 'take');
    const limiter = new CoalescingRateLimiter(inner);
    for (let i = 0; i < 3; i++) await limiter.take('10.0.0.2', T0);
    const calls = take.mock.calls.length;
    for (let i = 0; i < 100; i++) expect((await limiter.take('10.0.0.2', T0 + 1000)).admitted).toBe(0);
    expect(take.mock.calls.length).toBe(calls);
    expect((await limiter.take('10.0.0.2', T0 + 60_000)).admitted).toBe(1);
  });

  it('writes concurrent verifications in grouped BatchWriteItem calls, each caller waiting for its own record', async () => {
    const dynamo = await startDynalite();
    try {
      await ensureKeyValueTable(dynamo.client, 'ledger-verifications');
      const send = vi.spyOn(dynamo.client, 'send');
      const log = new DynamoVerificationLog(dynamo.client, 'ledger-verifications');
      const at = '2025-09-01T08:00:00.000Z';
      await Promise.all(Array.from({ length: 100 }, (_, i) => log.record({ code: 'C', at, requestId: `r${i}`, status: 'valid', asOf: '2025-09-01', familyNameChecked: false })));
      const batches = send.mock.calls.filter(([command]) => command instanceof BatchWriteItemCommand).length;
      expect(batches).toBeGreaterThanOrEqual(4);
      expect(batches).toBeLessThanOrEqual(8);
      expect(await log.list('C')).toHaveLength(100);
    } finally {
      await dynamo.stop();
    }
  });
});
