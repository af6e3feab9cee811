import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { candidateLink, InviteBody } from '../accounts/account-links.js';
import { Account } from '../ports/account-directory.js';
import { inviteAccount } from '../accounts/sign-ins.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';

export const route = defineRoute({
  summary:
    "Invites a candidate's account, by the centre that registered them: its token carries custom:ledger_id = candidateId (the same email for the same candidate again changes nothing)",
  params: z.object({ candidateId: Id }),
  body: InviteBody,
  response: { status: 201, schema: Account },
  async handle({ params, body, ctx }, deps) {
    const link = await candidateLink(deps, ctx.caller!, params.candidateId, 'invite');
    return created(await inviteAccount(deps, { email: body.email, ...link }));
  },
});

export const handler = lambdaHandler('candidates/invite-candidate-account', route);
