import { SESv2Client } from '@aws-sdk/client-sesv2';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EncryptedPersonVault, MemoryCiphertextStore, MemoryKeyStore } from '../../functions/adapters/encrypted-person-vault.js';
import { MemoryNotifier } from '../../functions/adapters/memory-notifier.js';
import { SesNotifier } from '../../functions/adapters/ses-notifier.js';
import { SYNTH_TIMEOUT, startTwinAws } from '../support/twin-aws.js';
import { notifierContract } from './notifier.contract.js';

const uniqueId = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;

notifierContract('in memory (npm start and the tests: the CandidateNotified events are the outbox)', async () => {
  const notifier = new MemoryNotifier();
  return {
    notifier,
    reachable: async (name) => uniqueId(name),
    delivered: async (id) => notifier.sent.filter((s) => s.candidateId === id).map((s) => s.message),
    stop: async () => {},
  };
});

/** SES v2 through the real SDK to the twin's SES endpoint, as the function of the stack granted ses:SendEmail. */
async function sesThroughTheTwin() {
  const twin = await startTwinAws();
  const fn = twin.asFunctionWith('ses:SendEmail', 'PERSON_VAULT_TABLE');
  const ses = new SESv2Client(fn.config);
  const vault = new EncryptedPersonVault(new MemoryKeyStore(), new MemoryCiphertextStore());
  const notifier = new SesNotifier(ses, vault, 'Registre des certifications <ne-pas-repondre@ledger.example>');
  const outbox = () =>
    existsSync(twin.aws.outbox)
      ? readFileSync(twin.aws.outbox, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { caller: string; Destination?: { ToAddresses?: string[] }; Content: { Simple?: { Body?: { Text?: { Data?: string } } } } })
      : [];
  return {
    twin,
    fn,
    ses,
    vault,
    notifier,
    outbox,
    harness: {
      notifier,
      reachable: async (name: string) => {
        const id = uniqueId(name);
        await vault.put(id, { givenNames: name, email: `${id}@example.org` });
        return id;
      },
      delivered: async (id: string) =>
        outbox()
          .filter((m) => m.Destination?.ToAddresses?.includes(`${id}@example.org`))
          .map((m) => m.Content.Simple?.Body?.Text?.Data ?? ''),
      stop: async () => {
        ses.destroy();
        await twin.stop();
      },
    },
  };
}

notifierContract('SES v2 through the twin (the function granted ses:SendEmail)', async () => (await sesThroughTheTwin()).harness);

describe('SES notifier through the twin: what only email does', () => {
  it(
    'sends nothing to an erased person; a function without the grant gets AccessDeniedException, so the step is retried',
    async () => {
      const s = await sesThroughTheTwin();
      try {
        const id = await s.harness.reachable('erased');
        await s.vault.forget(id);
        await s.notifier.send(id, { topic: 'session-results', message: 'm' });
        expect(await s.harness.delivered(id)).toEqual([]);

        const other = await s.harness.reachable('denied');
        const health = s.twin.stack.functions.find((f) => !JSON.stringify(s.twin.aws.callers.get(f.logicalId)?.policies ?? []).includes('ses:'))!;
        const env = s.twin.aws.gateway.environmentFor(s.twin.aws.callers.get(health.logicalId)!);
        const denied = new SESv2Client({
          endpoint: env.AWS_ENDPOINT_URL,
          region: env.AWS_REGION,
          credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
        });
        await expect(new SesNotifier(denied, s.vault, 'ne-pas-repondre@ledger.example').send(other, { topic: 't', message: 'm' })).rejects.toMatchObject({
          name: 'AccessDeniedException',
          message: expect.stringContaining('ses:SendEmail'),
        });
        denied.destroy();
        expect(await s.harness.delivered(other)).toEqual([]);
        expect(s.outbox().every((m) => m.caller === s.fn.functionName)).toBe(true);
      } finally {
        await s.harness.stop();
      }
    },
    SYNTH_TIMEOUT,
  );
});
