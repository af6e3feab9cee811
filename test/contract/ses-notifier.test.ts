import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { EncryptedPersonVault, MemoryCiphertextStore, MemoryKeyStore } from '../../functions/adapters/encrypted-person-vault.js';
import { SesNotifier } from '../../functions/adapters/ses-notifier.js';

// SES has no local emulator here: the call it makes, and what happens without an address.
describe('SES notifier', () => {
  it('emails the address the vault holds, in French', async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    const vault = new EncryptedPersonVault(new MemoryKeyStore(), new MemoryCiphertextStore());
    await vault.put('k1', { familyName: 'Moreau', givenNames: 'Camille', email: 'camille@example.org' });
    await new SesNotifier(new SESv2Client({ region: 'eu-west-3' }), vault, 'ne-pas-repondre@ledger.example').send('k1', { topic: 'usability-reminder', message: 'Votre bloc…' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.Destination?.ToAddresses).toEqual(['camille@example.org']);
    expect(input.Content?.Simple?.Subject?.Data).toContain('échéance');
    expect(input.Content?.Simple?.Body?.Text?.Data).toContain('Bonjour Camille');
  });

  it('sends nothing for a person without an address, or erased', async () => {
    const ses = mockClient(SESv2Client);
    const vault = new EncryptedPersonVault(new MemoryKeyStore(), new MemoryCiphertextStore());
    await vault.put('k1', { familyName: 'Moreau' });
    await vault.put('k2', { familyName: 'Petit', email: 'p@example.org' });
    await vault.forget('k2');
    const notifier = new SesNotifier(new SESv2Client({ region: 'eu-west-3' }), vault, 'x@ledger.example');
    await notifier.send('k1', { topic: 'session-results', message: 'm' });
    await notifier.send('k2', { topic: 'session-results', message: 'm' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('an SES failure surfaces, so the workflow step is retried', async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException' }));
    const vault = new EncryptedPersonVault(new MemoryKeyStore(), new MemoryCiphertextStore());
    await vault.put('k1', { email: 'a@example.org' });
    await expect(new SesNotifier(new SESv2Client({ region: 'eu-west-3' }), vault, 'x@ledger.example').send('k1', { topic: 't', message: 'm' })).rejects.toThrow('rate');
  });
});
