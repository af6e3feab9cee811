import * as z from '../../events/zod.js';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { Id } from '../../events/define-event.js';
import { endSignIns } from '../accounts/sign-ins.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, noContent } from '../shared/route.js';
import { centreFacts } from '../sessions/session-facts.js';

export const route = defineRoute({
  summary:
    "Erases the person's data (crypto-shredding of their key): the ledger and the statistics stay; their sign-in accounts are disabled and signed out, and the ledger refuses their tokens",
  params: z.object({ candidateId: Id }),
  response: { status: 204 },
  async handle({ params, ctx }, deps) {
    const { candidateId } = params;
    // Ledger first (404 for an unknown candidate), then the key: a retry after a crash finishes the erasure.
    const { registeredBy } = (await deps.commands.state(candidate, candidateStream(candidateId))).state;
    await deps.commands.handle(
      candidate,
      candidateStream(candidateId),
      {
        type: 'ErasePersonalData',
        candidateId,
        erasedBy: ctx.command.actor,
        legalBasis: 'RGPD art. 17',
        actingRegion: ctx.caller!.region,
        candidateRegion: registeredBy ? (await centreFacts(deps, registeredBy))?.region : undefined,
      },
      ctx.command,
    );
    await deps.vault.forget(candidateId);
    await endSignIns(deps, { group: 'candidate', ledgerId: candidateId });
    return noContent();
  },
});

export const handler = lambdaHandler('candidates/erase-personal-data', route);
