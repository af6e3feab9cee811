import * as z from '../../events/zod.js';
import type { Role } from '../shared/auth.js';

/**
 * The French public sign-in services, as the user pool names its OIDC identity providers: FranceConnect for the
 * candidates (citizens), ProConnect for the professionals (centres, jurors, DREETS and ministry agents).
 */
export const FEDERATED_PROVIDERS = { FranceConnect: ['candidate'], ProConnect: ['centre', 'juror', 'dreets', 'ministry'] } as const satisfies Record<string, readonly Role[]>;
export type FederatedProvider = keyof typeof FEDERATED_PROVIDERS;

/** What Cognito's pre sign-up trigger is given (the fields the link needs); the answer is the event itself. */
export const PreSignUpEvent = z.looseObject({
  triggerSource: z.string(),
  userPoolId: z.string().check(z.minLength(1)),
  userName: z.string().check(z.minLength(1)),
  request: z.looseObject({ userAttributes: z._default(z.record(z.string(), z.string()), {}) }),
  response: z._default(z.looseObject({}), {}),
});
export type PreSignUpEvent = z.infer<typeof PreSignUpEvent>;

/** An account of the pool that an invitation made (native, not federated), as ListUsers and its groups show it. */
export interface InvitedAccount {
  username: string;
  email?: string;
  emailVerified: boolean;
  enabled: boolean;
  /** Cognito's user status: EXTERNAL_PROVIDER for a federated one. */
  status: string;
  groups: readonly string[];
  /** The federated identities already linked to it (Cognito's `identities` attribute). */
  identities?: readonly { providerName: string; userId: string }[];
}

export type LinkDecision =
  | { kind: 'not-federated' }
  | { kind: 'link'; provider: FederatedProvider; subject: string; destination: string }
  | { kind: 'already-linked'; destination: string }
  | { kind: 'refuse'; reason: string };

/** `FranceConnect_8f2c…` → the provider and its subject; undefined for a name that is not one of ours. */
export function federatedIdentity(userName: string): { provider: FederatedProvider; subject: string } | undefined {
  const at = userName.indexOf('_');
  if (at <= 0) return undefined;
  const provider = userName.slice(0, at);
  const subject = userName.slice(at + 1);
  if (!(provider in FEDERATED_PROVIDERS) || !subject) return undefined;
  return { provider: provider as FederatedProvider, subject };
}

/** The email the identity provider vouches for: verified by it, in lower case as the ledger invites. */
export function verifiedEmailOf(attributes: Record<string, string>): string | undefined {
  const email = attributes.email?.trim().toLowerCase();
  return email && attributes.email_verified === 'true' ? email : undefined;
}

/**
 * Whom a federated first sign-in becomes. Nobody signs up: the ledger invites every account (its ledger id, its role),
 * so a FranceConnect or ProConnect identity is linked to the one invited account with the same verified email, of a
 * role that provider serves, enabled; anything else is refused, and Cognito creates no account.
 */
export function decideLink(event: Pick<PreSignUpEvent, 'triggerSource' | 'userName' | 'request'>, candidates: readonly InvitedAccount[]): LinkDecision {
  if (event.triggerSource !== 'PreSignUp_ExternalProvider') return { kind: 'not-federated' };
  const identity = federatedIdentity(event.userName);
  if (!identity) return { kind: 'refuse', reason: 'unknown identity provider' };
  const email = verifiedEmailOf(event.request.userAttributes);
  if (!email) return { kind: 'refuse', reason: `${identity.provider} gave no verified email` };
  const roles: readonly string[] = FEDERATED_PROVIDERS[identity.provider];
  const invited = candidates.filter((a) => a.status !== 'EXTERNAL_PROVIDER' && a.email?.toLowerCase() === email && a.emailVerified);
  if (invited.length === 0) return { kind: 'refuse', reason: 'no account was invited with this email' };
  if (invited.length > 1) return { kind: 'refuse', reason: 'several accounts have this email' };
  const account = invited[0]!;
  if (!account.enabled) return { kind: 'refuse', reason: 'the invited account is disabled' };
  if (!account.groups.some((g) => roles.includes(g))) return { kind: 'refuse', reason: `${identity.provider} does not sign in this account's role` };
  // A second first sign-in racing the first (two tabs, a double click): the link is made and linking again would fail;
  // this one goes on as Cognito decides (at worst its known "Already found an entry for username", which /connexion
  // starts once more, web/src/lib/federated-sign-in.ts).
  if (account.identities?.some((i) => i.providerName === identity.provider && i.userId === identity.subject)) return { kind: 'already-linked', destination: account.username };
  return { kind: 'link', provider: identity.provider, subject: identity.subject, destination: account.username };
}

/** The message Cognito shows when a federated sign-in is refused: French, and naming no account. */
export const REFUSED_MESSAGE = 'Aucun compte invité ne correspond à cette identité : demandez une invitation à votre centre ou à votre administration.';
