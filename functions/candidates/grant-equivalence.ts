import * as z from '../../events/zod.js';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { notFound } from '../../domain/errors.js';
import { BlocCode, Id, IsoDate, RncpCode, shownText } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { created, defineRoute } from '../shared/route.js';
import { centreFacts, certificationOf } from '../sessions/session-facts.js';
import { candidateFactsOf } from './candidate-facts.js';

export const route = defineRoute({
  summary: 'A DREETS agent of the candidate’s region grants blocs (partial) or the titre (total, or by cumul) by équivalence, with its legal basis and date',
  params: z.object({ candidateId: Id }),
  body: z.object({
    rncp: RncpCode,
    blocs: z.array(BlocCode).check(z.maxLength(50)),
    titre: z._default(z.boolean(), false),
    decidedOn: IsoDate,
    legalBasis: shownText(500),
  }),
  response: { status: 201, schema: z.object({ candidateId: z.string(), decisionId: z.string() }) },
  async handle({ params: { candidateId }, body, ctx }, deps) {
    const version = await certificationOf(deps, body.rncp);
    if (!version) throw notFound('certification-not-found', `no certification ${body.rncp}`);
    const { state } = await deps.commands.state(candidate, candidateStream(candidateId));
    const registeredBy = state.registeredBy;
    const decisionId = ctx.ids.next();
    await deps.commands.handle(
      candidate,
      candidateStream(candidateId),
      {
        type: 'GrantEquivalence',
        candidateId,
        decisionId,
        ...body,
        decidedBy: ctx.command.actor,
        version,
        usableBlocs: (await candidateFactsOf(deps, candidateId, body.rncp, ledgerDate(ctx.command.now)))?.usableBlocs ?? [],
        actingRegion: ctx.caller!.region,
        today: ledgerDate(ctx.command.now),
        bornOn: (await deps.vault.get(candidateId))?.birthDate,
        candidateRegion: registeredBy ? (await centreFacts(deps, registeredBy))?.region : undefined,
      },
      ctx.command,
    );
    return created({ candidateId, decisionId });
  },
});

export const handler = lambdaHandler('candidates/grant-equivalence', route);
