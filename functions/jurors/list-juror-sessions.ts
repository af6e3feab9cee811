import * as z from '../../events/zod.js';
import { forbidden } from '../../domain/errors.js';
import { Id } from '../../events/define-event.js';
import { SessionKind } from '../../events/session.js';
import { centreDirectory, type CentreEntry } from '../projections/directories.js';
import { jurorSessionsPartition, type JurorSessionLine as Line } from '../projections/juror-sessions.js';
import { readDoc } from '../projections/projection.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';

export const JurorSessionLine = z.object({
  sessionId: z.string(),
  rncp: z.string(),
  kind: SessionKind,
  startsOn: z.string(),
  endsOn: z.string(),
  pv: z.enum(['open', 'validated']),
  centre: z.object({ centreId: z.string(), name: z.nullable(z.string()) }),
});

export const route = defineRoute({
  summary: 'The sessions whose jury the juror sits on (or was added to for a candidate), the latest first, with their centre: for the juror',
  params: z.object({ jurorId: Id }),
  response: { status: 200, schema: z.array(JurorSessionLine) },
  async handle({ params, ctx }, deps) {
    if (ctx.caller!.ledgerId !== params.jurorId) throw forbidden('not-your-sessions', 'a juror sees their own sessions only');
    const sessions = (await deps.readModels.query<Line | null>(jurorSessionsPartition(params.jurorId))).flatMap((d) => (d.doc ? [d.doc] : []));
    // A juror sits for few centres: one read of each centre's document, not a list.
    const centreIds = [...new Set(sessions.map((s) => s.centreId))];
    const centres = new Map(await Promise.all(centreIds.map(async (id) => [id, (await readDoc<CentreEntry>(deps.readModels, centreDirectory, id))?.doc?.name ?? null] as const)));
    const lines = sessions.map(({ sessionId, rncp, kind, startsOn, endsOn, pv, centreId }) => ({
      sessionId,
      rncp,
      kind,
      startsOn,
      endsOn,
      pv,
      centre: { centreId, name: centres.get(centreId) ?? null },
    }));
    return ok(lines.sort((a, b) => b.startsOn.localeCompare(a.startsOn) || a.sessionId.localeCompare(b.sessionId)));
  },
});

export const handler = lambdaHandler('jurors/list-juror-sessions', route);
