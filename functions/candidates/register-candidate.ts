import { z } from 'zod';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { IsoDate } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';

const Name = z.string().trim().min(1).max(200);

export const route = defineRoute({
  summary: 'Register a candidate; names and birth date go to the person vault, the ledger keeps the id only',
  body: z.object({
    familyName: Name,
    givenNames: Name,
    birthDate: IsoDate.refine((d) => d >= '1900-01-01' && d <= '2100-01-01', 'a plausible birth date'),
    email: z.email().max(254).optional(),
  }),
  response: { status: 201, schema: z.object({ candidateId: z.string() }) },
  async handle({ body, ctx }, deps) {
    const candidateId = ctx.ids.next();
    // Vault first: a candidate id in the ledger always has its person data, until erased on purpose.
    await deps.vault.put(candidateId, body);
    await deps.commands.handle(candidate, candidateStream(candidateId), { type: 'RegisterCandidate', candidateId, centreId: ctx.caller!.ledgerId }, ctx.command, {
      assumeEmpty: true,
    });
    return created({ candidateId });
  },
});

export const handler = lambdaHandler('candidates/register-candidate', route);
