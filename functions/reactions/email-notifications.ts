import type { Commit } from '../../events/envelope.js';
import { recordedEvents } from '../shared/command-handler.js';
import type { Reaction } from './reaction.js';

const SENT = { status: 200, headers: {}, body: '' };

/**
 * Each CandidateNotified (the outbox) is sent through the Notifier — email in AWS — once: the event id is
 * claimed in the idempotency store before sending and released if sending fails, so a redelivered record sends
 * nothing more and a failed one is sent on the retry.
 */
export const emailNotifications: Reaction = {
  name: 'email-notifications',
  applies: (commit: Commit) => commit.stream.startsWith('candidate#') && commit.events.some((e) => e.type === 'CandidateNotified'),
  async react(deps, commit) {
    if (!this.applies(commit)) return;
    for (const event of recordedEvents(commit)) {
      if (event.type !== 'CandidateNotified') continue;
      const key = `notification|${event.eventId}`;
      const claim = await deps.idempotency.begin(key, 'sent', Date.now(), event.eventId);
      if (claim.state === 'replay') continue;
      if (claim.state !== 'new') throw new Error(`notification ${event.eventId} is being sent by another consumer`);
      try {
        await deps.notifier.send(event.data.candidateId, { topic: event.data.topic, message: event.data.message });
      } catch (error) {
        await deps.idempotency.release(key);
        throw error;
      }
      await deps.idempotency.complete(key, 'sent', SENT);
    }
  },
};
