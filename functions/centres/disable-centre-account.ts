import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { centreLink, EmailParam } from '../accounts/account-links.js';
import { disableAccount } from '../accounts/sign-ins.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, noContent } from '../shared/route.js';

export const route = defineRoute({
  summary: "Disables a centre's account (it can no longer sign in); an email not linked to this centre is 404",
  params: z.object({ centreId: Id, email: EmailParam }),
  response: { status: 204 },
  async handle({ params, ctx }, deps) {
    await disableAccount(deps, params.email, await centreLink(deps, ctx.caller!, params.centreId));
    return noContent();
  },
});

export const handler = lambdaHandler('centres/disable-centre-account', route);
