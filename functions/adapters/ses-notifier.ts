import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Notifier } from '../ports/notifier.js';
import type { PersonVault } from '../ports/person-vault.js';

const subjects: Record<string, string> = {
  'session-results': 'Résultats de votre session de certification',
  'usability-reminder': 'Un de vos blocs de compétences arrive à échéance',
  'usability-lapsed': 'Un de vos blocs de compétences ne compte plus pour le titre',
  'decision-annulled': 'Une décision du jury a été annulée',
  'certificate-status': 'Le statut de votre certificat a changé',
  equivalence: 'Une équivalence vous a été accordée',
};

/**
 * Email through SES, to the address the person vault holds. No address (none given, or erased): nothing is sent,
 * the notification stays in the ledger's outbox.
 */
export class SesNotifier implements Notifier {
  constructor(
    private readonly ses: Pick<SESv2Client, 'send'>,
    private readonly vault: PersonVault,
    private readonly from: string,
  ) {}

  async send(candidateId: string, notification: { topic: string; message: string }): Promise<void> {
    const person = await this.vault.get(candidateId);
    if (!person?.email) return;
    // Imported on first use: only the functions that send email load this SDK package.
    const { SendEmailCommand } = await import('@aws-sdk/client-sesv2');
    await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [person.email] },
        Content: {
          Simple: {
            Subject: { Data: subjects[notification.topic] ?? 'certification-ledger', Charset: 'UTF-8' },
            Body: { Text: { Data: `${person.givenNames ? `Bonjour ${person.givenNames},\n\n` : ''}${notification.message}\n`, Charset: 'UTF-8' } },
          },
        },
      }),
    );
  }
}
