import * as z from '../../events/zod.js';
import { conflict, notFound } from '../../domain/errors.js';
import { Role } from '../shared/auth.js';

/**
 * An email address as an account's name. Lower-cased because Cognito compares sign-in names case-insensitively:
 * two spellings of one address must be one account here too. It is personal data: never in an event or a log.
 */
export const AccountEmail = z.email().check(z.maxLength(254), z.toLowerCase());

/** `invited` until the first sign-in (Cognito's FORCE_CHANGE_PASSWORD), `active` after, `disabled` once disabled. */
export const AccountStatus = z.enum(['invited', 'active', 'disabled']);
export type AccountStatus = z.infer<typeof AccountStatus>;

export const Account = z.object({
  email: z.string(),
  /** Its Cognito group, that is its role. */
  group: Role,
  /** `custom:ledger_id`: the centre, juror, candidate or agent it acts for. */
  ledgerId: z.string(),
  /** `custom:region`: a DREETS agent's region. */
  region: z.optional(z.string()),
  status: AccountStatus,
});
export type Account = z.infer<typeof Account>;

/**
 * An account as the directory holds it: with its own id (Cognito's `sub`, the `sub` claim of its tokens), which the
 * ledger keeps to refuse the tokens of a disabled account (functions/accounts/sign-ins.ts). Never in an answer.
 */
export const LinkedAccount = z.extend(Account, { sub: z.string().check(z.minLength(1)) });
export type LinkedAccount = z.infer<typeof LinkedAccount>;

export interface Invitation {
  email: string;
  group: Role;
  ledgerId: string;
  region?: string;
}

/**
 * The accounts that sign in, each linked to one ledger id by an attribute its user cannot write. Cognito in AWS
 * (AdminCreateUser sends the invitation), a dynalite table for `npm start`, memory in handler tests. Every adapter
 * passes test/contract/account-directory.contract.ts.
 */
export interface AccountDirectory {
  /**
   * Creates the account and sends its invitation. Inviting again the same email for the same link answers the
   * account as it is and changes nothing (no second message); an email linked otherwise throws `account-exists`.
   */
  invite(invitation: Invitation): Promise<LinkedAccount>;
  /**
   * Disables the account linked to that group and ledger id, named by its email or by its own id (`sub`), and
   * answers its own id; any other throws `account-not-found`. Disabling a disabled account changes nothing.
   */
  disable(account: string, link: { group: Role; ledgerId: string }): Promise<{ sub: string }>;
  /**
   * Ends every session of the account of that own id (Cognito's AdminUserGlobalSignOut: its refresh tokens stop
   * working). Its ID tokens stay valid until they expire: the ledger refuses those itself.
   */
  signOut(sub: string): Promise<void>;
  find(email: string): Promise<LinkedAccount | undefined>;
}

/** Whether an existing account is the one this invitation asks for (then a re-invitation changes nothing). */
export const sameLink = (account: Pick<Account, 'group' | 'ledgerId' | 'region'>, link: Omit<Invitation, 'email'>) =>
  account.group === link.group && account.ledgerId === link.ledgerId && (account.region ?? undefined) === (link.region ?? undefined);

// The messages name neither the email nor the other ledger id: the caller already knows the one and may not learn the other.
export const accountExists = () => conflict('account-exists', 'this email already has an account, linked to another centre, juror, candidate or agent');
export const accountNotFound = () => notFound('account-not-found', 'no account with this email is linked here');
