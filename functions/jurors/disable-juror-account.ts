import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { jurorLink, EmailParam } from '../accounts/account-links.js';
import { disableAccount } from '../accounts/sign-ins.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, noContent } from '../shared/route.js';

export const route = defineRoute({
  summary: "Disables a juror's account (it can no longer sign in); an email not linked to this juror is 404",
  params: z.object({ jurorId: Id, email: EmailParam }),
  response: { status: 204 },
  async handle({ params, ctx }, deps) {
    await disableAccount(deps, params.email, await jurorLink(deps, ctx.caller!, params.jurorId));
    return noContent();
  },
});

export const handler = lambdaHandler('jurors/disable-juror-account', route);
