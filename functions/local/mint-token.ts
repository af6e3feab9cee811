import * as z from '../../events/zod.js';
import { forbidden, notFound } from '../../domain/errors.js';
import { Id } from '../../events/define-event.js';
import { signInRefusedNow } from '../accounts/sign-ins.js';
import { AccountEmail } from '../ports/account-directory.js';
import { Role } from '../shared/auth.js';
import { lambdaHandler } from '../shared/lambda.js';
import { Region } from '../shared/region.js';
import { defineRoute, ok } from '../shared/route.js';

export const route = defineRoute({
  summary:
    "Local only: mints a token for a role and a ledger id (and a DREETS agent's region), as `npm run token` does, or for the email of an account invited through the …/accounts routes (what signing in as it gives in AWS: a token of the account's own `sub`; a disabled account gets none), for the sign-in page (web/). Answers only to callers on this machine (loopback); never deployed",
  body: z.union([z.object({ role: Role, ledgerId: Id, region: z.optional(Region) }), z.object({ email: AccountEmail })]),
  response: { status: 200, schema: z.object({ token: z.string(), role: Role, ledgerId: z.string() }) },
  async handle({ body }, deps) {
    if (!deps.localTokens) throw notFound('not-found', 'tokens are minted by the local runtime only');
    if ('email' in body) {
      const account = await deps.accounts.find(body.email);
      if (!account) throw notFound('account-not-found', 'no account was invited with this email');
      // The question every authenticated request asks of the sign-in record (functions/accounts/sign-ins.ts), asked
      // of the token this would sign: a token the ledger would refuse is not given. An erased person (whose accounts
      // are disabled too) is told so first; an account the directory disabled cannot sign in, as in Cognito.
      const refusal = await signInRefusedNow(deps, account);
      if (refusal === 'erased') throw forbidden('personal-data-erased', "this candidate's personal data were erased: their account no longer signs in");
      if (refusal === 'disabled' || account.status === 'disabled') throw forbidden('account-disabled', 'this account was disabled');
      return ok({
        token: await deps.localTokens.sign(account.group, account.ledgerId, { region: account.region, sub: account.sub }),
        role: account.group,
        ledgerId: account.ledgerId,
      });
    }
    return ok({ token: await deps.localTokens.sign(body.role, body.ledgerId, { region: body.region }), role: body.role, ledgerId: body.ledgerId });
  },
});

export const handler = lambdaHandler('local/mint-token', route);
