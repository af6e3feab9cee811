import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { DynamoVerificationLog } from '../../functions/adapters/dynamodb-verification-log.js';
import { startDynalite } from '../support/dynalite.js';

describe('the verification log costs no round trip per request under load', () => {
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
      expect(await log.list('C', { since: '2000-01-01T00:00:00.000Z', limit: 1000 })).toHaveLength(100);
    } finally {
      await dynamo.stop();
    }
  });
});
