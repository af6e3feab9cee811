import { forbidden, notFound } from '../../domain/errors.js';
import { sessionOverview, type SessionOverview } from '../projections/session-overview.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import { SessionParams, SessionView } from './session-schemas.js';
import { readDoc } from '../projections/projection.js';

export const route = defineRoute({
  summary: 'A session: jury, candidates, recusals, assessments, deliberations with their signatures, PV status, annulments',
  params: SessionParams,
  response: { status: 200, schema: SessionView },
  async handle({ params, ctx }, deps) {
    const found = await readDoc<SessionOverview>(deps.readModels, sessionOverview, params.sessionId);
    if (!found?.doc) throw notFound('session-not-found', `no session ${params.sessionId}`);
    const view = found.doc;
    const { ledgerId, roles } = ctx.caller!;
    const allowed =
      roles.includes('dreets') ||
      (roles.includes('centre') && view.centreId === ledgerId) ||
      (roles.includes('juror') && [...view.jury, ...(view.added ?? [])].some((m) => m.jurorId === ledgerId));
    if (!allowed) throw forbidden('not-your-session', 'only the session’s centre, its jurors and the DREETS see a session');
    return ok({ ...view, position: found.position });
  },
});

export const handler = lambdaHandler('sessions/get-session', route);
