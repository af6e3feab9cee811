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
 * partition, `sign-in#<ledgerId>`, keyed by what the request carries anyway (`custom:ledger_id`), holding the
 * instant each of its accounts (by `sub`) was disabled. A token issued before that instant is refused; one issued
 * after (the account invited again and signed in again) passes, so the record never has to be cleared. Not cached:
 * a cache of a few seconds per warm Lambda would leave a disabled token working that long, to save one GetItem
 * (1 RRU) on a request that costs an invocation anyway. An erasure refuses every token of its ledger id, whenever issued.
 *
 * Written only by the account routes and the erasure (not projected from events): `npm run rebuild` and the
 * rebuild state machine make a fresh read-model table without it (README, "Rebuilding the read models").
 */
export interface SignIns {
  /** By the account's own id (`sub`): when it was last disabled (ms since the epoch, system clock), if ever. */
  accounts: Record<string, { revokedAt?: number }>;
  /** When the person's data were erased: every token of this ledger id is refused. */
  erasedAt?: number;
}

const KEY = 'accounts';
/** The model's name: its partitions are `sign-in#<ledgerId>` (infra grants their writes by it). */
export const SIGN_IN_MODEL = 'sign-in';
export const signInsPartition = (ledgerId: string) => partitionOf(SIGN_IN_MODEL, ledgerId);

/**
 * How far a token's `iat` (Cognito's clock, whole seconds) may run ahead of the instant read here (the Lambda's
 * clock) and still be one issued before the account was disabled. A token of an account disabled and invited again
 * within this margin is refused until it passes: a new sign-in a few seconds later works.
 */
const CLOCK_MARGIN_MS = 5_000;

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

/** Invites the account and keeps its own id under its ledger id, so that an erasure finds it; answers it without that id. */
export async function inviteAccount(deps: LedgerDeps, invitation: Invitation): Promise<Account> {
  const { sub, ...account } = await deps.accounts.invite(invitation);
  await change(deps, invitation.ledgerId, (record) => (record.accounts[sub] ? record : { ...record, accounts: { ...record.accounts, [sub]: {} } }));
  return account;
}

/**
 * Disables the account (it can no longer sign in), then has the ledger refuse the tokens it was given, then ends its
 * sessions (its refresh tokens). Each step can be done again: a retry after a failure finishes the rest.
 */
export async function disableAccount(deps: LedgerDeps, account: string, link: Link): Promise<void> {
  const { sub } = await deps.accounts.disable(account, link);
  const revokedAt = Date.now();
  await change(deps, link.ledgerId, (record) => ({ ...record, accounts: { ...record.accounts, [sub]: { revokedAt } } }));
  await deps.accounts.signOut(sub);
}

/**
 * An erased person's sign-ins end: every token of their ledger id is refused from now on, then each account kept
 * under it is disabled and signed out, and marked so. Done again (an erasure retried), it changes nothing more: the
 * first erasure's instant stays, an account marked after it is passed over, one never invited or gone is nothing to do.
 */
export async function endSignIns(deps: LedgerDeps, link: Link): Promise<void> {
  const record = await change(deps, link.ledgerId, (r) => (r.erasedAt === undefined ? { ...r, erasedAt: Date.now() } : r));
  const erasedAt = record.erasedAt!;
  for (const [sub, { revokedAt }] of Object.entries(record.accounts)) {
    if (revokedAt !== undefined && revokedAt >= erasedAt) continue;
    try {
      await deps.accounts.disable(sub, link);
      await deps.accounts.signOut(sub);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'account-not-found')) throw error;
    }
    const at = Math.max(Date.now(), erasedAt);
    await change(deps, link.ledgerId, (r) => ({ ...r, accounts: { ...r.accounts, [sub]: { revokedAt: at } } }));
  }
}

/** `iat` as the JWT authorizer hands it over (a string of seconds) or as the local server does (a number). */
const issuedAt = (claims: Record<string, unknown> | undefined): number | undefined => {
  const value = Number(claims?.iat);
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
};

/** Whether the ledger refuses this token: its account was disabled after it was issued, or its person erased. */
export async function signInRevoked(deps: LedgerDeps, caller: Caller, claims: Record<string, unknown> | undefined): Promise<boolean> {
  const found = await deps.readModels.get<SignIns>(signInsPartition(caller.ledgerId), KEY);
  if (!found) return false;
  if (found.doc.erasedAt !== undefined) return true;
  const revokedAt = found.doc.accounts[caller.sub]?.revokedAt;
  if (revokedAt === undefined) return false;
  const iat = issuedAt(claims);
  return iat === undefined || iat <= revokedAt + CLOCK_MARGIN_MS;
}
