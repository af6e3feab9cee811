import * as z from '../../events/zod.js';
import { forbidden, notFound } from '../../domain/errors.js';
import { Id } from '../../events/define-event.js';
import { SessionKind } from '../../events/session.js';
import { centreSessionsPartition, type CentreSessionLine } from '../projections/centre-sessions.js';
import { centreFacts, type CentreFacts } from '../projections/statistics-facts.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import { readDoc } from '../projections/projection.js';

const SessionLine = z.object({
  sessionId: z.string(),
  rncp: z.string(),
  kind: SessionKind,
  blocs: z.array(z.string()),
  startsOn: z.string(),
  endsOn: z.string(),
  juryMembers: z.number().check(z.int()),
  candidates: z.number().check(z.int()),
  deliberations: z.object({ proposed: z.number().check(z.int()), final: z.number().check(z.int()), annulled: z.number().check(z.int()) }),
  pv: z.object({ status: z.enum(['open', 'validated']), validatedOn: z.optional(z.string()) }),
});

export const route = defineRoute({
  summary: "A centre's sessions, the latest first (jury size, candidates, deliberations, PV status): for the centre itself and the DREETS",
  params: z.object({ centreId: Id }),
  response: { status: 200, schema: z.array(SessionLine) },
  async handle({ params, ctx }, deps) {
    const { ledgerId, roles } = ctx.caller!;
    if (!roles.includes('dreets') && ledgerId !== params.centreId) throw forbidden('not-your-centre', 'a centre sees its own sessions only');
    const centre = await readDoc<CentreFacts>(deps.readModels, centreFacts, params.centreId);
    if (!centre?.doc) throw notFound('centre-not-found', `no centre ${params.centreId}`);
    const sessions = (await deps.readModels.query<CentreSessionLine | null>(centreSessionsPartition(params.centreId)))
      .flatMap((d) => (d.doc ? [d.doc] : []))
      .sort((a, b) => b.startsOn.localeCompare(a.startsOn) || a.sessionId.localeCompare(b.sessionId))
      .map(({ centreId: _, ...line }) => line);
    // The centre's name and region are GET /centres/{centreId}'s: this list is the sessions alone (API.md).
    return ok(sessions);
  },
});

export const handler = lambdaHandler('centres/list-centre-sessions', route);
