import * as z from '../../events/zod.js';
import { forbidden, notFound } from '../../domain/errors.js';
import { Id } from '../../events/define-event.js';
import { centreDirectory, type CentreEntry } from '../projections/directories.js';
import { readDoc } from '../projections/projection.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';

export const CentreAnswer = z.object({
  centreId: z.string(),
  name: z.string(),
  region: z.string(),
  agrements: z.array(z.object({ rncp: z.string(), validFrom: z.string(), validUntil: z.string() })),
});

export const route = defineRoute({
  summary: 'A centre: its name, region and agréments (the versions it may hold sessions of, and until when): for the centre itself and the DREETS',
  params: z.object({ centreId: Id }),
  response: { status: 200, schema: CentreAnswer },
  async handle({ params, ctx }, deps) {
    const { ledgerId, roles } = ctx.caller!;
    if (!roles.includes('dreets') && ledgerId !== params.centreId) throw forbidden('not-your-centre', 'a centre sees its own page only');
    const found = await readDoc<CentreEntry>(deps.readModels, centreDirectory, params.centreId);
    if (!found?.doc) throw notFound('centre-not-found', `no centre ${params.centreId}`);
    return ok(found.doc);
  },
});

export const handler = lambdaHandler('centres/get-centre', route);
