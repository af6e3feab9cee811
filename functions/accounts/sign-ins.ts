import { DomainError } from '../../domain/errors.js';
import { ConcurrencyError } from '../ports/event-store.js';
import type { Account, Invitation } from '../ports/account-directory.js';
import { partitionOf } from '../ports/read-model-store.js';
import type { Caller } from '../shared/auth.js';
import type { LedgerDeps } from '../shared/deps.js';
import type { Link } from './account-links.js';

/**
 * The sign-ins of one ledger id, the one record the ledger keeps to refuse the tokens of an account it disabled.
 *
 * Why the ledger keeps one: API Gateway's JWT authorizer checks a token's signature, issuer, audience and expiry
 * and never asks Cognito, so an ID token stays valid until it expires (1 h on AWS, 12 h locally) after
 * AdminDisableUser and AdminUserGlobalSignOut alike (those end the refresh tokens; GlobalSignOut revokes access
 * tokens for Cognito's own APIs only). So every authenticated request reads this record: one GetItem of one
 * partition, `sign-in#<ledgerId>`, keyed by what the request carries anyway (`custom:ledger_id`), saying which of
 * its accounts (by `sub`) are disabled. While an account is disabled its tokens are refused; invited again (its
 * inviter letting the person back in), the tokens issued before its disabling stay refused (one that leaked must not
 * come back to life), those of a new sign-in pass: the disabling's instant is kept, by the system clock as a token's
 * `iat` is (API.md: token lifetimes are checked against the system clock, never the ledger's, which the twin's
 * containers run Date at), and a token issued in that second or before is refused. Not cached: a cache of a few seconds per warm Lambda would leave
 * a disabled token working that long, to save one GetItem (1 RRU) on a request that costs an invocation anyway. An
 * erasure refuses every token of its ledger id, for good (an erased person is never invited again).
 *
 * Written only by the account routes and the erasure (not projected from events): `npm run rebuild` and the
 * rebuild state machine make a fresh read-model table without it (README, "Rebuilding the read models").
 */
export interface SignIns {
  /** By the account's own id (`sub`): whether it is disabled. */
  accounts: Record<string, { disabled: boolean /** Tokens issued at or before this second (epoch) are refused. */; revokedBefore?: number }>;
  /** The person's data were erased: every token of this ledger id is refused. */
  erased?: boolean;
}

const KEY = 'accounts';

/** Now by the system clock, in epoch seconds: what a token's `iat` is compared with (`performance` is never virtual). */
const systemSeconds = () => Math.floor((performance.timeOrigin + performance.now()) / 1000);
/** The model's name: its partitions are `sign-in#<ledgerId>` (infra grants their writes by it). */
export const SIGN_IN_MODEL = 'sign-in';
export const signInsPartition = (ledgerId: string) => partitionOf(SIGN_IN_MODEL, ledgerId);

/** Read, changed, written only if nobody wrote in between (retried otherwise), so two concurrent changes are both kept. */
async function change(deps: LedgerDeps, ledgerId: string, update: (record: SignIns) => SignIns): Promise<SignIns> {
  for (;;) {
    const found = await deps.readModels.get<SignIns>(signInsPartition(ledgerId), KEY);
    const next = update(found?.doc ?? { accounts: {} });
    try {
      await deps.readModels.put(signInsPartition(ledgerId), KEY, next, (found?.position ?? 0) + 1, found?.position ?? 0);
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

/**
 * Why the ledger refuses this caller's token, if it does: its person erased, its account disabled, or the token issued
 * before its account was last disabled (a token without `iat` counts as issued then).
 */
export async function signInRevoked(deps: LedgerDeps, caller: Caller): Promise<'erased' | 'disabled' | undefined> {
  const found = await deps.readModels.get<SignIns>(signInsPartition(caller.ledgerId), KEY);
  if (!found) return undefined;
  if (found.doc.erased === true) return 'erased';
  const account = found.doc.accounts[caller.sub];
  if (account?.disabled === true) return 'disabled';
  if (account?.revokedBefore !== undefined && (caller.issuedAt ?? 0) <= account.revokedBefore) return 'disabled';
  return undefined;
}
