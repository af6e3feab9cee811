import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { DynamoVerificationLog } from '../../functions/adapters/dynamodb-verification-log.js';
import { isTally, VERIFICATIONS_KEPT_PER_DAY, verificationsIn } from '../../functions/ports/verification-log.js';
import { startDynalite } from '../support/dynalite.js';

describe('DynamoDB verification log: claims of a day’s ordinals', () => {
  let dynamo: Awaited<ReturnType<typeof startDynalite>>;
  const claims: string[] = [];
  beforeAll(async () => {
    dynamo = await startDynalite();
    await ensureKeyValueTable(dynamo.client, 'ledger-verifications');
    dynamo.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateItemCommand') claims.push(String((args.input as { Key?: { sk?: { S?: string } } }).Key?.sk?.S));
        return next(args);
      },
      { step: 'initialize', name: 'countClaims' },
    );
  });
  afterAll(() => dynamo.stop());

  it('given a code verified in bursts, when each burst is written, then a doubling lease reaches the day’s cap in a handful of claims', async () => {
    const log = new DynamoVerificationLog(dynamo.client, 'ledger-verifications');
    const code = 'BURSTS-1';
    for (let burst = 0; burst < 12; burst++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          log.record({
            code,
            at: `2025-09-01T10:00:${String(burst).padStart(2, '0')}.${String(i).padStart(3, '0')}Z`,
            requestId: `burst-${burst}-${i}`,
            status: 'valid',
            asOf: '2025-09-01',
            familyNameChecked: false,
          }),
        ),
      );
      await log.flush();
    }
    // One claim per burst would be 10 claims before the cap; doubling: 10, then 20, 40, 80 (capped by the day).
    expect(claims.filter((sk) => sk === '#day#2025-09-01')).toHaveLength(4);
    const listed = await log.list(code, { since: '2000-01-01T00:00:00.000Z', limit: 1000 });
    expect(listed.filter((e) => !isTally(e))).toHaveLength(VERIFICATIONS_KEPT_PER_DAY);
    expect(listed.reduce((n, e) => n + verificationsIn(e), 0)).toBe(120);
  });
});
