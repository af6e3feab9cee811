import * as z from '../../events/zod.js';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { AccessRoute } from '../../events/certification.js';
import { Id, IsoDate, RncpCode } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { readableRecord } from './candidate-access.js';
import { notFound } from '../../domain/errors.js';
import { certificationOf } from '../sessions/session-facts.js';

export const route = defineRoute({
  summary: 'The candidate’s centre declares a new training by its end date: after the one-year re-sit window, it opens enrolment again',
  params: z.object({ candidateId: Id }),
  body: z.object({ rncp: RncpCode, route: AccessRoute, endsOn: IsoDate }),
  response: { status: 201 },
  async handle({ params, body, ctx }, deps) {
    await readableRecord(deps, ctx.caller!, params.candidateId);
    const version = await certificationOf(deps, body.rncp);
    if (!version) throw notFound('certification-not-found', `no certification ${body.rncp}`);
    await deps.commands.handle(
      candidate,
      candidateStream(params.candidateId),
      {
        type: 'DeclareTraining',
        candidateId: params.candidateId,
        actingCentre: ctx.caller!.ledgerId,
        ...body,
        allowedRoutes: version.accessRoutes.allowed,
        versionOpenedOn: version.validFrom,
        today: ledgerDate(ctx.command.now),
      },
      ctx.command,
    );
    return created({ candidateId: params.candidateId, ...body });
  },
});

export const handler = lambdaHandler('candidates/declare-training', route);
