import * as z from '../../events/zod.js';
import { shownText } from '../../events/define-event.js';
import { candidateStream } from '../../domain/candidate.js';
import { certificate, certificateStream, type CertificateState } from '../../domain/certificate.js';
import { parseCertificateCode } from '../../domain/certificate-code.js';
import { notFound } from '../../domain/errors.js';
import type { LedgerEvent, LedgerEventType } from '../../events/registry.js';
import { recordedEvents } from '../shared/command-handler.js';
import type { LedgerDeps } from '../shared/deps.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { sessionStream } from '../../domain/session.js';
import { centreFacts } from '../sessions/session-facts.js';
import { keepDecisionText } from '../shared/decision-notes.js';
import { created, type RouteContext } from '../shared/route.js';

export const StatusChangeBody = z.object({
  reason: shownText(1000),
  legalBasis: shownText(500),
});

export const StatusChangeAnswer = z.object({ code: z.string(), status: z.enum(['valid', 'suspended', 'revoked']) });

/**
 * Suspension, reinstatement, revocation: an event effective on the ledger's date. The reason and legal basis an
 * agent types may name the holder: they go to the holder's vault entry, erased with them, and the event carries
 * their note (DESIGN.md rule 9).
 */
export async function changeCertificateStatus(
  deps: LedgerDeps,
  type: 'SuspendCertificate' | 'ReinstateCertificate' | 'RevokeCertificate',
  typedCode: string,
  body: z.infer<typeof StatusChangeBody>,
  ctx: RouteContext,
) {
  const code = parseCertificateCode(typedCode);
  if (!code) throw notFound('certificate-not-found', 'no certificate answers to this code');
  const { state } = await deps.commands.state(certificate, certificateStream(code));
  const note =
    state.status === 'unissued'
      ? undefined
      : await keepDecisionText(deps.vault, state.issued.candidateId, `${type}:${code}:${ledgerDate(ctx.command.now)}`, {
          reason: body.reason,
          legalBasis: body.legalBasis,
        });
  const result = await deps.commands.handle(
    certificate,
    certificateStream(code),
    {
      type,
      code,
      ...(note ? { note } : {}),
      by: ctx.command.actor,
      on: ledgerDate(ctx.command.now),
      authority: { actingRegion: ctx.caller!.region, competentRegion: await competentRegion(deps, state) },
    },
    ctx.command,
  );
  if (result.state.status === 'unissued') throw notFound('certificate-not-found', 'no certificate answers to this code');
  return created({ code, status: result.state.status });
}

/**
 * The region whose representative is competent for a certificate: the region of the session's centre (the one
 * whose agent validated the PV), or, for a certificate without a session (an équivalence), of the centre that
 * registered the candidate (the one whose agent decided the équivalence). Undefined for a subject recorded before
 * regions were, which the decider leaves to any regional agent, as for the other territorial decisions.
 */
async function competentRegion(deps: LedgerDeps, state: CertificateState): Promise<string | undefined> {
  if (state.status === 'unissued') return undefined;
  const { sessionId, candidateId } = state.issued;
  if (sessionId) {
    const scheduled = await lastRecorded(deps, sessionStream(sessionId), 'SessionScheduled');
    if (scheduled?.type === 'SessionScheduled') return (await centreFacts(deps, scheduled.data.centreId))?.region;
  }
  const registered = await lastRecorded(deps, candidateStream(candidateId), 'CandidateRegistered');
  return registered?.type === 'CandidateRegistered' && registered.data.registeredBy ? (await centreFacts(deps, registered.data.registeredBy))?.region : undefined;
}

/**
 * The last event of `type` on a stream: the one fact of a session (where it is held) or of a candidate (who
 * registered them) a status change needs, as their deciders fold it, read from the stream rather than a read model.
 * Folding the session's and the candidate's deciders for it would bring their rules, which a certificate does not
 * apply, into this bundle (issue 15: about 27 KB of its 150).
 */
async function lastRecorded(deps: LedgerDeps, stream: string, type: LedgerEventType): Promise<LedgerEvent | undefined> {
  return (await deps.store.read(stream)).commits
    .flatMap(recordedEvents)
    .filter((event) => event.type === type)
    .at(-1);
}
