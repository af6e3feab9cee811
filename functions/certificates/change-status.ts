import * as z from '../../events/zod.js';
import { shownText } from '../../events/define-event.js';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { certificate, certificateStream, type CertificateState } from '../../domain/certificate.js';
import { parseCertificateCode } from '../../domain/certificate-code.js';
import { notFound } from '../../domain/errors.js';
import type { LedgerDeps } from '../shared/deps.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { session, sessionStream } from '../../domain/session.js';
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
    const held = (await deps.commands.state(session, sessionStream(sessionId))).state;
    if (held.status !== 'unknown') return (await centreFacts(deps, held.centreId))?.region;
  }
  const registeredBy = (await deps.commands.state(candidate, candidateStream(candidateId))).state.registeredBy;
  return registeredBy ? (await centreFacts(deps, registeredBy))?.region : undefined;
}
