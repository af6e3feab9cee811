import * as z from '../../events/zod.js';
import { juror, jurorStream } from '../../domain/juror.js';
import { Id } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { created, defineRoute } from '../shared/route.js';
import { certificationOf } from '../sessions/session-facts.js';
import { GrantBody } from '../sessions/session-schemas.js';

const Habilitation = z.object({ jurorId: z.string(), rncp: z.string(), validFrom: z.string(), validUntil: z.string() });

export const route = defineRoute({
  summary: 'Habilitate a juror for a certification version (validFrom defaults to today)',
  params: z.object({ jurorId: Id }),
  body: GrantBody,
  response: { status: 201, schema: Habilitation },
  async handle({ params: { jurorId }, body, ctx }, deps) {
    const validFrom = body.validFrom ?? ledgerDate(ctx.command.now);
    const certification = await certificationOf(deps, body.rncp);
    const command = { type: 'GrantHabilitation' as const, jurorId, rncp: body.rncp, validFrom, validUntil: body.validUntil, certification, actingRegion: ctx.caller!.region };
    await deps.commands.handle(juror, jurorStream(jurorId), command, ctx.command);
    return created({ jurorId, rncp: body.rncp, validFrom, validUntil: body.validUntil });
  },
});

export const handler = lambdaHandler('jurors/grant-habilitation', route);
