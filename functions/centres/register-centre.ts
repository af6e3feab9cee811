import * as z from '../../events/zod.js';
import { Label } from '../../events/define-event.js';
import { centre, centreStream } from '../../domain/centre.js';
import { lambdaHandler } from '../shared/lambda.js';
import { Region } from '../shared/region.js';
import { created, defineRoute } from '../shared/route.js';

export const route = defineRoute({
  summary: 'Register a training centre (an organisation: its name is not personal data)',
  body: z.object({ name: Label, region: Region }),
  response: { status: 201, schema: z.object({ centreId: z.string() }) },
  async handle({ body, ctx }, deps) {
    const centreId = ctx.ids.next();
    await deps.commands.handle(centre, centreStream(centreId), { type: 'RegisterCentre', centreId, ...body, actingRegion: ctx.caller!.region }, ctx.command, { assumeEmpty: true });
    return created({ centreId });
  },
});

export const handler = lambdaHandler('centres/register-centre', route);
