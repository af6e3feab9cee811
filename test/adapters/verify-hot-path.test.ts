import { BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { BatchingReadModelStore } from '../../functions/adapters/batching-read-model-store.js';
import { DynamoReadModelStore, ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { DynamoVerificationLog } from '../../functions/adapters/dynamodb-verification-log.js';
import { LeasingRateLimiter } from '../../functions/adapters/leasing-rate-limiter.js';
import { MemoryRateLimiter } from '../../functions/adapters/memory-rate-limiter.js';
import type { RateCount, RateLimiter } from '../../functions/ports/rate-limiter.js';
import { verificationsIn } from '../../functions/ports/verification-log.js';
import { startDynalite } from '../support/dynalite.js';

const T0 = Date.parse('2025-09-01T08:00:00.000Z');

/** A shared count whose answers wait until the test lets them go. */
function gatedLimiter(limit: number) {
  const inner = new MemoryRateLimiter({ limit, windowSeconds: 60 });
  const gates: (() => void)[] = [];
  const calls: number[] = [];
  const limiter: RateLimiter = {
    limit,
    windowSeconds: 60,
    async take(key, nowMs, hits = 1): Promise<RateCount> {
      calls.push(hits);
      await new Promise<void>((resolve) => gates.push(resolve));
      return inner.take(key, nowMs, hits);
    },
  };
  const release = async () => {
    while (gates.length) gates.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { limiter, calls, release };
}

describe('GET /verify pays no round trip of its own for the limiter or the verification record', () => {
  it('the limiter answers from its lease while the top-up is out, and never admits more than the shared count granted', async () => {
    const gated = gatedLimiter(1000);
    const limiter = new LeasingRateLimiter(gated.limiter);
    // The first hits of a window wait for one lease, together.
    const first = Promise.all(Array.from({ length: 20 }, () => limiter.take('10.0.0.1', T0)));
    await gated.release();
    await gated.release();
    expect((await first).every((a) => a.admitted === 1)).toBe(true);
    // Steady demand: the lease now covers a round trip's worth, handed out with the store's answer still pending.
    for (let round = 0; round < 3; round++) {
      const answers: RateCount[] = [];
      for (let i = 0; i < 10; i++) void limiter.take('10.0.0.1', T0).then((a) => answers.push(a));
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(answers).toHaveLength(10); // answered while every top-up was held back
      expect(answers.every((a) => a.admitted === 1)).toBe(true);
      await gated.release();
    }
    const leased = gated.calls.reduce((n, hits) => n + hits, 0);
    expect(leased).toBeLessThanOrEqual(1000);
    expect(gated.calls.length).toBeLessThan(10);
  });

  it('a small limit stays exact: leases never exceed it, whatever the demand', async () => {
    const inner = new MemoryRateLimiter({ limit: 7, windowSeconds: 60 });
    const [one, two] = [new LeasingRateLimiter(inner), new LeasingRateLimiter(inner)];
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? one : two).take('10.0.0.9', T0 + i)));
    expect(answers.reduce((n, a) => n + a.admitted, 0)).toBeLessThanOrEqual(7);
    expect(answers.reduce((n, a) => n + a.admitted, 0)).toBeGreaterThanOrEqual(6); // at most the lease ahead lost
  });

  it('reads that arrive while one is out go together in one consistent BatchGetItem, each getting its own document', async () => {
    const dynamo = await startDynalite();
    try {
      await ensureKeyValueTable(dynamo.client, 'read-models');
      const plain = new DynamoReadModelStore(dynamo.client, 'read-models');
      for (let i = 0; i < 30; i++) await plain.put('certificate', `C${i}`, { code: `C${i}`, n: i }, 1, 0);
      const send = vi.spyOn(dynamo.client, 'send');
      const reader = new BatchingReadModelStore(plain, dynamo.client, 'read-models');
      const keys = [...Array.from({ length: 30 }, (_, i) => `C${i}`), 'C3', 'absent'];
      const docs = await Promise.all(keys.map((k) => reader.get<{ code: string; n: number }>('certificate', k)));
      expect(docs.slice(0, 30).map((d) => d?.doc.n)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(docs[30]).toEqual(docs[3]);
      expect(docs[30]).not.toBe(docs[3]);
      expect(docs[31]).toBeUndefined();
      const commands = send.mock.calls.map(([c]) => c);
      expect(commands.filter((c) => c instanceof GetItemCommand)).toHaveLength(1);
      expect(commands.filter((c) => c instanceof BatchGetItemCommand)).toHaveLength(1);
      expect((commands.find((c) => c instanceof BatchGetItemCommand) as BatchGetItemCommand).input.RequestItems!['read-models']!.ConsistentRead).toBe(true);
      // Nothing is cached: a later change is read at once.
      await plain.put('certificate', 'C0', { code: 'C0', n: 100 }, 2, 1);
      expect((await reader.get<{ n: number }>('certificate', 'C0'))?.doc.n).toBe(100);
    } finally {
      await dynamo.stop();
    }
  });

  it('verification records are written after the answer, grouped, and every one is there after flush', async () => {
    const dynamo = await startDynalite();
    try {
      await ensureKeyValueTable(dynamo.client, 'ledger-verifications');
      const send = vi.spyOn(dynamo.client, 'send');
      const log = new DynamoVerificationLog(dynamo.client, 'ledger-verifications', { lingerMs: 60_000 });
      const at = '2025-09-01T08:00:00.000Z';
      const written: number[] = [];
      for (let i = 0; i < 10; i++)
        void log.record({ code: 'H', at, requestId: `r${i}`, status: 'valid', asOf: '2025-09-01', familyNameChecked: false }).then(() => written.push(i));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(written).toEqual([]); // held: not a round trip per verification
      expect(send).not.toHaveBeenCalled();
      await log.flush(); // on shutdown, at the end of a Lambda invocation
      expect(written).toHaveLength(10);
      expect(send.mock.calls.filter(([c]) => c instanceof BatchWriteItemCommand)).toHaveLength(1);
      // list() flushes first: a holder sees what this instance answered, even not yet written.
      void log.record({ code: 'H', at, requestId: 'r10', status: 'valid', asOf: '2025-09-01', familyNameChecked: false });
      expect(await log.list('H', { since: '2000-01-01T00:00:00.000Z', limit: 1000 })).toHaveLength(11);
    } finally {
      await dynamo.stop();
    }
  });

  it('a flood over many codes never has more than two claims or tallies out at once, and counts every verification', async () => {
    const dynamo = await startDynalite();
    try {
      await ensureKeyValueTable(dynamo.client, 'ledger-verifications');
      let out = 0;
      let most = 0;
      const send = dynamo.client.send.bind(dynamo.client);
      vi.spyOn(dynamo.client, 'send').mockImplementation((async (command: { constructor: { name: string } }) => {
        if (command.constructor.name !== 'UpdateItemCommand') return send(command as never);
        most = Math.max(most, ++out);
        try {
          return await send(command as never);
        } finally {
          out--;
        }
      }) as never);
      const log = new DynamoVerificationLog(dynamo.client, 'ledger-verifications', { lingerMs: 1, tallyLingerMs: 5 });
      const at = '2025-09-01T08:00:00.000Z';
      const codes = Array.from({ length: 20 }, (_, i) => `F${i}`);
      // Past each code's day cap, so every code gets claims and then tallies, all falling due together.
      const records = Array.from({ length: 3000 }, (_, i) =>
        log.record({ code: codes[i % codes.length]!, at, requestId: `f${i}`, status: 'valid', asOf: '2025-09-01', familyNameChecked: false }),
      );
      await log.flush();
      await Promise.all(records);
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(2);
      let counted = 0;
      for (const code of codes) counted += (await log.list(code, { since: '2000-01-01T00:00:00.000Z', limit: 100_000 })).reduce((n, e) => n + verificationsIn(e), 0);
      expect(counted).toBe(3000);
    } finally {
      await dynamo.stop();
    }
  });
});
