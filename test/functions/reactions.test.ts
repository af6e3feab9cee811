import { describe, expect, it } from 'vitest';
import { candidate, candidateStream } from '../../domain/candidate.js';
import type { Commit } from '../../events/envelope.js';
import { reactions } from '../../functions/reactions/index.js';
import { memoryDeps } from '../support/memory-deps.js';

const notify = async (h: Awaited<ReturnType<typeof memoryDeps>>, candidateId: string, key: string) =>
  h.deps.commands.handle(
    candidate,
    candidateStream(candidateId),
    { type: 'Notify', candidateId, notificationKey: key, topic: 'session-results', message: `message ${key}` },
    { commandId: `notify-${key}`, actor: 'system:test', correlationId: 'c', now: h.clock.now() },
  );

describe('the reactions of the change feed', () => {
  it('is one list: the session workflow, the équivalence workflow, capitalisation, annulment compensation and email notifications', () => {
    expect(reactions.map((r) => r.name)).toEqual(['session-workflow', 'equivalence-workflow', 'capitalisation-workflow', 'annulment-compensation', 'email-notifications']);
  });

  it('emails each CandidateNotified once, however often and in whatever order its record is delivered', async () => {
    const h = await memoryDeps();
    const candidateId = 'c0ffee00-0000-4000-8000-000000000001';
    await h.deps.commands.handle(
      candidate,
      candidateStream(candidateId),
      { type: 'RegisterCandidate', candidateId, centreId: 'centre-1', centre: { centreId: 'centre-1' } },
      { commandId: 'register', actor: 'centre:centre-1', correlationId: 'c', now: h.clock.now() },
    );
    await notify(h, candidateId, 'a');
    await notify(h, candidateId, 'b');
    await h.settle();
    const [first, second] = (await h.store.read(candidateStream(candidateId))).commits.filter((c) => c.events.some((e) => e.type === 'CandidateNotified'));
    expect(h.notifier.sent.map((n) => n.message)).toEqual(['message a', 'message b']);
    // Duplicated and reordered deliveries of the same records.
    for (const commit of [second!, first!, second!, first!] as Commit[]) await h.ledger.react(commit);
    expect(h.notifier.sent.map((n) => n.message)).toEqual(['message a', 'message b']);
  });

  it('a notification whose sending fails is sent on the redelivery, once', async () => {
    const h = await memoryDeps();
    const candidateId = 'c0ffee00-0000-4000-8000-000000000002';
    await h.deps.commands.handle(
      candidate,
      candidateStream(candidateId),
      { type: 'RegisterCandidate', candidateId, centreId: 'centre-1', centre: { centreId: 'centre-1' } },
      { commandId: 'register', actor: 'centre:centre-1', correlationId: 'c', now: h.clock.now() },
    );
    const send = h.notifier.send.bind(h.notifier);
    let failures = 1;
    h.notifier.send = async (...args) => {
      if (failures-- > 0) throw new Error('SES throttled');
      return send(...args);
    };
    await notify(h, candidateId, 'x');
    await h.settle(); // the in-process feed retries the record, as the Streams mapping would
    expect(h.notifier.sent.map((n) => n.message)).toEqual(['message x']);
  });
});
