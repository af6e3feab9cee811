import * as z from '../../events/zod.js';
import { centre, centreStream } from '../../domain/centre.js';
import { Id } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { created, defineRoute } from '../shared/route.js';
import { certificationOf } from '../sessions/session-facts.js';
import { AgrementBody } from '../sessions/session-schemas.js';

const Agrement = z.object({ centreId: z.string(), rncp: z.string(), validFrom: z.string(), validUntil: z.string() });

export const route = defineRoute({
  summary: 'Grant a centre the agrément to hold sessions of a certification version (validFrom defaults to today)',
  params: z.object({ centreId: Id }),
  body: AgrementBody,
  response: { status: 201, schema: Agrement },
  async handle({ params: { centreId }, body, ctx }, deps) {
    const validFrom = body.validFrom ?? ledgerDate(ctx.command.now);
    const certification = await certificationOf(deps, body.rncp);
    const command = {
      type: 'GrantAgrement' as const,
      centreId,
      rncp: body.rncp,
      validFrom,
      validUntil: body.validUntil,
      certification,
      actingRegion: ctx.caller!.region,
      today: ledgerDate(ctx.command.now),
      ...(body.ccs ? { ccs: body.ccs } : {}),
    };
    await deps.commands.handle(centre, centreStream(centreId), command, ctx.command);
    return created({ centreId, rncp: body.rncp, validFrom, validUntil: body.validUntil });
  },
});

export const handler = lambdaHandler('centres/grant-agrement', route);
