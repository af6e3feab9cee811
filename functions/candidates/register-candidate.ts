import * as z from '../../events/zod.js';
import { candidate, candidateStream, requirePlausibleBirthDate } from '../../domain/candidate.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { IsoDate, PersonName } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { centreFacts } from '../sessions/session-facts.js';

export const route = defineRoute({
  summary: 'Register a candidate; names and birth date go to the person vault, the ledger keeps the id only',
  body: z.object({
    familyName: PersonName,
    givenNames: PersonName,
    birthDate: IsoDate,
    email: z.optional(z.email().check(z.maxLength(254))),
  }),
  response: { status: 201, schema: z.object({ candidateId: z.string() }) },
  async handle({ body, ctx }, deps) {
    const candidateId = ctx.ids.next();
    const centreId = ctx.caller!.ledgerId;
    const command = { type: 'RegisterCandidate' as const, candidateId, centreId, centre: await centreFacts(deps, centreId) };
    // Before the vault, the rules (a dry run of the decider): a refused registration leaves no person data behind.
    requirePlausibleBirthDate(body.birthDate, ledgerDate(ctx.command.now));
    candidate.decide(command, candidate.initialState);
    // Vault first: a candidate id in the ledger always has its person data, until erased on purpose.
    await deps.vault.put(candidateId, body);
    await deps.commands.handle(candidate, candidateStream(candidateId), command, ctx.command, { assumeEmpty: true });
    return created({ candidateId });
  },
});

export const handler = lambdaHandler('candidates/register-candidate', route);
