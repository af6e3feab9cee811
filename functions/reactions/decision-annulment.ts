import { candidate, candidateStream } from '../../domain/candidate.js';
import { certificate, certificateStream } from '../../domain/certificate.js';
import type { Commit } from '../../events/envelope.js';
import { recordedEvents } from '../shared/command-handler.js';
import type { LedgerDeps } from '../shared/deps.js';
import { ledgerDate } from '../shared/ledger-date.js';
import type { Reaction } from './reaction.js';

/**
 * After a DecisionAnnulled on a session: the compensating events on everything the decision produced — the
 * candidate's blocs and titre from that session annulled, the certificates it issued revoked with the same reason
 * and legal basis (the same note), and the candidate told. History is never deleted. Each command is keyed by the annulment, so a
 * redelivered record appends nothing more.
 */
async function compensateAnnulment(deps: LedgerDeps, commit: Commit): Promise<void> {
  if (!commit.stream.startsWith('session#')) return;
  const sessionId = commit.stream.slice('session#'.length);
  for (const event of recordedEvents(commit)) {
    if (event.type !== 'DecisionAnnulled') continue;
    const { candidateId, note } = event.data;
    const ctx = (what: string) => ({
      commandId: `annulment:${sessionId}:${candidateId}:${what}`,
      actor: event.meta.actor,
      correlationId: event.meta.correlationId,
      causationId: event.eventId,
      now: deps.clock.now(),
    });
    const annulled = await deps.commands.handle(candidate, candidateStream(candidateId), { type: 'AnnulSessionDecision', candidateId, sessionId, note }, ctx('record'));
    const codes = Object.values(annulled.state.reservations)
      .filter((r) => r.issuanceKey.startsWith(`${sessionId}:`))
      .map((r) => r.code);
    for (const code of codes) {
      const slice = await deps.store.read(certificateStream(code));
      if (slice.version === 0) continue; // reserved, never issued
      const state = slice.commits.flatMap(recordedEvents).reduce((s, e) => certificate.evolve(s, e as never), certificate.initialState);
      if (state.status === 'revoked' || state.status === 'unissued') continue;
      await deps.commands.handle(
        certificate,
        certificateStream(code),
        {
          type: 'RevokeCertificate',
          code,
          // The same note: the annulment's reason and legal basis, in the holder's vault entry.
          ...(note ? { note } : {}),
          by: event.meta.actor,
          on: ledgerDate(event.meta.occurredAt) < state.issued.issuedOn ? state.issued.issuedOn : ledgerDate(event.meta.occurredAt),
          authority: 'annulment-compensation',
        },
        ctx(`revoke:${code}`),
      );
    }
    // The message is stored in the event and emailed: the reason, which may name the candidate, stays in the vault
    // and the candidate reads it with their certificates.
    const message = `Une décision du jury de la session ${sessionId} vous concernant a été annulée. Les blocs et certificats qu'elle avait délivrés sont retirés de votre livret ; le motif figure avec vos certificats.`;
    await deps.commands.handle(
      candidate,
      candidateStream(candidateId),
      { type: 'Notify', candidateId, notificationKey: `annulment:${sessionId}`, topic: 'decision-annulled', message },
      ctx('notify'),
    );
  }
}

export const annulmentCompensation: Reaction = {
  name: 'annulment-compensation',
  applies: (commit: Commit) => commit.stream.startsWith('session#') && commit.events.some((e) => e.type === 'DecisionAnnulled'),
  react: compensateAnnulment,
};
