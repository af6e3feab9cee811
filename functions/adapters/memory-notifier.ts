import type { Logger } from '@aws-lambda-powertools/logger';
import type { Notifier } from '../ports/notifier.js';

export interface SentNotification {
  candidateId: string;
  topic: string;
  message: string;
}

/** What the local runtime and the tests "send": kept in memory (the last 1,000), to see that each is sent once. */
export class MemoryNotifier implements Notifier {
  readonly sent: SentNotification[] = [];

  async send(candidateId: string, notification: { topic: string; message: string }): Promise<void> {
    this.sent.push({ candidateId, ...notification });
    if (this.sent.length > 1000) this.sent.shift();
  }
}

/**
 * A deployment without a verified SES identity (context ledger:sesIdentity) sends no email: the CandidateNotified
 * events stay the only channel (the candidate's notifications route), and each unsent one is logged, without
 * personal data.
 */
export class UnsentNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}

  async send(candidateId: string, notification: { topic: string }): Promise<void> {
    this.logger.info('notification not emailed: no SES identity configured', { candidateId, topic: notification.topic });
  }
}
