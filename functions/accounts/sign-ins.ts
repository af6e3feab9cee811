import { DomainError } from '../../domain/errors.js';
import { ConcurrencyError } from '../ports/event-store.js';
import type { Account, Invitation } from '../ports/account-directory.js';
import type { SignIns } from '../ports/sign-in-records.js';
import type { Caller } from '../shared/auth.js';
import type { LedgerDeps } from '../shared/deps.js';
import type { Link } from './account-links.js';

/**
 * The sign-ins of one ledger id, the one record the ledger keeps to refuse the tokens of an account it disabled.
 *
 * Why the ledger keeps one: API Gateway's JWT authorizer checks a token's signature, issuer, audience and expiry
 * and never asks Cognito, so an ID token stays valid until it expires (1 h on AWS, 12 h locally) after
 * AdminDisableUser and AdminUserGlobalSignOut alike (those end the refresh tokens; GlobalSignOut revokes access
 * tokens for Cognito's own APIs only). So every authenticated request reads this record: one GetItem, keyed by what
 * the request carries anyway (`custom:ledger_id`), saying which of its accounts (by `sub`) are disabled. While an
 * account is disabled its tokens are refused; invited again (its inviter letting the person back in), the tokens
 * issued before its disabling stay refused (one that leaked must not come back to life), those of a new sign-in
 * pass: the disabling's instant is kept, by the system clock as a token's `iat` is (API.md: token lifetimes are
 * checked against the system clock, never the ledger's, which the twin's containers run Date at), and a token issued
 * in that second or before is refused. Not cached: a cache of a few seconds per warm Lambda would leave a disabled
 * token working that long, to save one GetItem (1 RRU) on a request that costs an invocation anyway. An erasure
 * refuses every token of its ledger id, for good (an erased person is never invited again).
 *
 * Where it lives: a table of its own (SignInRecords; AWS `SIGN_INS_TABLE`, locally `ledger-sign-ins`), never the
 * read models'. DESIGN.md §6 leaves accounts to Cognito: an invitation, a disabling and their `sub` are no decision
 * of the ledger's aggregates and no event records them, so the record cannot be projected; and DESIGN.md §3 makes
 * the read models derived, rebuilt from the events into a fresh table (`npm run rebuild`, the rebuild state machine's
 * blue/green switch), which would start without it and let every disabled account's and erased person's tokens pass
 * again until they expire. A projection would also lag: a disabling answered 204 must hold for the next request,
 * not once the change feed has delivered. So the account routes and the erasure write it, at once, where no rebuild
 * reaches (README, "Rebuilding the read models"; test/e2e/sign-in-rebuild.test.ts).
 */
export type { SignIns } from '../ports/sign-in-records.js';

/** Now by the system clock, in epoch seconds: what a token's `iat` is compared with (`performance` is never virtual). */
const systemSeconds = () => Math.floor((performance.timeOrigin + performance.now()) / 1000);

/** Read, changed, written only if nobody wrote in between (retried otherwise), so two concurrent changes are both kept. */
async function change(deps: LedgerDeps, ledgerId: string, update: (record: SignIns) => SignIns): Promise<SignIns> {
  for (;;) {
    const found = await deps.signIns.get(ledgerId);
    const next = update(found?.record ?? { accounts: {} });
    try {
      await deps.signIns.put(ledgerId, next, (found?.version ?? 0) + 1, found?.version ?? 0);
      return next;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
  }
}

/**
 * Invites the account and keeps its own id under its ledger id, enabled (an invitation enables a disabled account
 * again), so that an erasure finds it; answers it without that id.
 */
export async function inviteAccount(deps: LedgerDeps, invitation: Invitation): Promise<Account> {
  const { sub, ...account } = await deps.accounts.invite(invitation);
  await change(deps, invitation.ledgerId, (record) => ({ ...record, accounts: { ...record.accounts, [sub]: { ...record.accounts[sub], disabled: false } } }));
  return account;
}

/**
 * Disables the account (it can no longer sign in), then has the ledger refuse the tokens it was given, then ends its
 * sessions (its refresh tokens). Each step can be done again: a retry after a failure finishes the rest.
 */
export async function disableAccount(deps: LedgerDeps, account: string, link: Link): Promise<void> {
  const { sub } = await deps.accounts.disable(account, link);
  const revokedBefore = systemSeconds();
  await change(deps, link.ledgerId, (record) => ({ ...record, accounts: { ...record.accounts, [sub]: { disabled: true, revokedBefore } } }));
  await deps.accounts.signOut(sub);
}

/**
 * An erased person's sign-ins end: every token of their ledger id is refused from now on, then each account kept
 * under it and still enabled is disabled, signed out, and marked so. Done again (an erasure retried), it changes
 * nothing more: an account marked is passed over, one never invited or gone is nothing to do.
 */
export async function endSignIns(deps: LedgerDeps, link: Link): Promise<void> {
  const record = await change(deps, link.ledgerId, (r) => (r.erased ? r : { ...r, erased: true }));
  for (const [sub, { disabled }] of Object.entries(record.accounts)) {
    if (disabled) continue;
    try {
      await deps.accounts.disable(sub, link);
      await deps.accounts.signOut(sub);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'account-not-found')) throw error;
    }
    const revokedBefore = systemSeconds();
    await change(deps, link.ledgerId, (r) => ({ ...r, accounts: { ...r.accounts, [sub]: { disabled: true, revokedBefore } } }));
  }
}

/** Why the ledger refuses a token: its person erased, or its account disabled (or disabled since the token was issued). */
export type SignInRefusal = 'erased' | 'disabled';

/**
 * The one answer to "may this account's token act?", asked of the sign-in record alone: by every authenticated
 * request (functions/shared/dispatch.ts, 401 `sign-in-revoked`) with the token it carries, and by the local token
 * command before it signs one (functions/local/mint-token.ts, 403 `personal-data-erased` / `account-disabled`) with
 * the token it would give, issued now. One function, so the two never disagree. A token without `iat` counts as
 * issued when its account was last disabled.
 */
export function signInRefusal(record: SignIns | undefined, token: Pick<Caller, 'sub' | 'issuedAt'>): SignInRefusal | undefined {
  if (!record) return undefined;
  if (record.erased === true) return 'erased';
  const account = record.accounts[token.sub];
  if (account?.disabled === true) return 'disabled';
  if (account?.revokedBefore !== undefined && (token.issuedAt ?? 0) <= account.revokedBefore) return 'disabled';
  return undefined;
}

/** Why the ledger refuses this caller's token, if it does (one GetItem of its ledger id's record). */
export async function signInRevoked(deps: Pick<LedgerDeps, 'signIns'>, caller: Caller): Promise<SignInRefusal | undefined> {
  return signInRefusal((await deps.signIns.get(caller.ledgerId))?.record, caller);
}

/** Why the ledger would refuse a token signed now for this account, if it would (the token command's question). */
export async function signInRefusedNow(deps: Pick<LedgerDeps, 'signIns'>, account: { ledgerId: string; sub: string }): Promise<SignInRefusal | undefined> {
  return signInRefusal((await deps.signIns.get(account.ledgerId))?.record, { sub: account.sub, issuedAt: systemSeconds() });
}
