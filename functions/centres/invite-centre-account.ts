import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { centreLink, InviteBody } from '../accounts/account-links.js';
import { Account } from '../ports/account-directory.js';
import { inviteAccount } from '../accounts/sign-ins.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';

export const route = defineRoute({
  summary:
    "Invites a centre's account: Cognito emails it a temporary password; its token carries custom:ledger_id = centreId (the same email for the same centre again changes nothing)",
  params: z.object({ centreId: Id }),
  body: InviteBody,
  response: { status: 201, schema: Account },
  async handle({ params, body, ctx }, deps) {
    const link = await centreLink(deps, ctx.caller!, params.centreId);
    return created(await inviteAccount(deps, { email: body.email, ...link }));
  },
});

export const handler = lambdaHandler('centres/invite-centre-account', route);
