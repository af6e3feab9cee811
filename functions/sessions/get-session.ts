import { forbidden, notFound } from '../../domain/errors.js';
import { partitionOf } from '../ports/read-model-store.js';
import { HEADER_KEY } from '../projections/projection.js';
import { assembleOverview, sessionOverview, type CandidateSlice, type SessionHeader } from '../projections/session-overview.js';
import { decisionTextsOf, ERASED_TEXT } from '../shared/decision-notes.js';
import { lambdaHandler } from '../shared/lambda.js';
import { candidateNames, jurorNames } from '../shared/person-names.js';
import { defineRoute, ok } from '../shared/route.js';
import { SessionParams, SessionView } from './session-schemas.js';

export const route = defineRoute({
  summary: 'A session: jury, candidates, recusals, assessments, deliberations with their signatures, PV status, annulments',
  params: SessionParams,
  response: { status: 200, schema: SessionView },
  async handle({ params, ctx }, deps) {
    // One Query of the session's partition: its header and one item per candidate.
    const items = await deps.readModels.query<SessionHeader | CandidateSlice | null>(partitionOf(sessionOverview.model, params.sessionId));
    const header = items.find((i) => i.key === HEADER_KEY);
    if (!header?.doc) throw notFound('session-not-found', `no session ${params.sessionId}`);
    const slices = items.flatMap((i) => (i.key !== HEADER_KEY && i.doc ? [i.doc as CandidateSlice] : []));
    const view = assembleOverview(header.doc as SessionHeader, slices);
    const { ledgerId, roles } = ctx.caller!;
    const allowed =
      roles.includes('dreets') ||
      (roles.includes('centre') && view.centreId === ledgerId) ||
      (roles.includes('juror') && [...view.jury, ...(view.added ?? [])].some((m) => m.jurorId === ledgerId));
    if (!allowed) throw forbidden('not-your-session', 'only the session’s centre, its jurors and the DREETS see a session');
    // The readers the law lets see the names (the centre, the jurors, the DREETS): decrypted now, each read logged.
    const [candidates, jurors] = await Promise.all([
      candidateNames(
        deps,
        ctx,
        view.candidates.map((c) => c.candidateId),
        'session',
      ),
      jurorNames(
        deps,
        [...view.jury, ...(view.added ?? [])].map((m) => m.jurorId),
      ),
    ]);
    const named = <T extends { jurorId: string }>(m: T) => ({ ...m, name: jurors.get(m.jurorId) ?? null });
    // An annulment's reason and legal basis may name the candidate: from their vault entry, a placeholder once erased.
    const annulments = await Promise.all(
      view.annulments.map(async ({ candidateId, note, reason, legalBasis, annulledBy, annulledAt }) => {
        const text = (await decisionTextsOf(deps.vault, candidateId))({ note, reason, legalBasis });
        return { candidateId, reason: text.reason, legalBasis: text.legalBasis ?? ERASED_TEXT, annulledBy, annulledAt };
      }),
    );
    return ok({
      ...view,
      jury: view.jury.map(named),
      ...(view.added ? { added: view.added.map(named) } : {}),
      candidates: view.candidates.map((c) => ({
        ...c,
        familyName: candidates.get(c.candidateId)?.familyName ?? null,
        givenNames: candidates.get(c.candidateId)?.givenNames ?? null,
      })),
      annulments,
      position: header.position,
    });
  },
});

export const handler = lambdaHandler('sessions/get-session', route);
