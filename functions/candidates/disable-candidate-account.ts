import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { candidateLink, EmailParam } from '../accounts/account-links.js';
import { disableAccount } from '../accounts/sign-ins.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, noContent } from '../shared/route.js';

export const route = defineRoute({
  summary: "Disables a candidate's account, by the centre that registered them; an email not linked to this candidate is 404",
  params: z.object({ candidateId: Id, email: EmailParam }),
  response: { status: 204 },
  async handle({ params, ctx }, deps) {
    await disableAccount(deps, params.email, await candidateLink(deps, ctx.caller!, params.candidateId, 'disable'));
    return noContent();
  },
});

export const handler = lambdaHandler('candidates/disable-candidate-account', route);
