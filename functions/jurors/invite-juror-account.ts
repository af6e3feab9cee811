import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { jurorLink, InviteBody } from '../accounts/account-links.js';
import { Account } from '../ports/account-directory.js';
import { inviteAccount } from '../accounts/sign-ins.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';

export const route = defineRoute({
  summary:
    "Invites a juror's account: Cognito emails it a temporary password; its token carries custom:ledger_id = jurorId (the same email for the same juror again changes nothing)",
  params: z.object({ jurorId: Id }),
  body: InviteBody,
  response: { status: 201, schema: Account },
  async handle({ params, body, ctx }, deps) {
    const link = await jurorLink(deps, ctx.caller!, params.jurorId);
    return created(await inviteAccount(deps, { email: body.email, ...link }));
  },
});

export const handler = lambdaHandler('jurors/invite-juror-account', route);
