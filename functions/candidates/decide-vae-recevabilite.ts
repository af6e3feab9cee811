import * as z from '../../events/zod.js';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { notFound } from '../../domain/errors.js';
import { Id, IsoDate, RncpCode } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { created, defineRoute } from '../shared/route.js';
import { centreFacts, certificationOf } from '../sessions/session-facts.js';

export const route = defineRoute({
  summary: 'A DREETS agent of the candidate’s region records a VAE request admissible (recevable) for a version: the candidate may then enrol by the VAE route',
  params: z.object({ candidateId: Id }),
  body: z.object({ rncp: RncpCode, decidedOn: IsoDate }),
  response: { status: 201 },
  async handle({ params: { candidateId }, body, ctx }, deps) {
    const version = await certificationOf(deps, body.rncp);
    if (!version) throw notFound('certification-not-found', `no certification ${body.rncp}`);
    const { registeredBy } = (await deps.commands.state(candidate, candidateStream(candidateId))).state;
    await deps.commands.handle(
      candidate,
      candidateStream(candidateId),
      {
        type: 'DecideVaeRecevabilite',
        candidateId,
        ...body,
        decidedBy: ctx.command.actor,
        today: ledgerDate(ctx.command.now),
        versionOpenedOn: version.validFrom,
        actingRegion: ctx.caller!.region,
        candidateRegion: registeredBy ? (await centreFacts(deps, registeredBy))?.region : undefined,
      },
      ctx.command,
    );
    return created({ candidateId, ...body });
  },
});

export const handler = lambdaHandler('candidates/decide-vae-recevabilite', route);
