import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Logger } from '@aws-lambda-powertools/logger';
import { cognitoClient } from '../composition/cognito-client.js';
import { decideLink, type InvitedAccount, PreSignUpEvent, REFUSED_MESSAGE, verifiedEmailOf } from './federated-sign-in.js';

const sdk = () => import('@aws-sdk/client-cognito-identity-provider');

/** Cognito's `identities` attribute (JSON: `[{"userId", "providerName", …}]`); nothing readable is none. */
function identitiesOf(value: string | undefined): { providerName: string; userId: string }[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed)
      ? parsed.flatMap((i) => (i && typeof i.providerName === 'string' && typeof i.userId === 'string' ? [{ providerName: i.providerName, userId: i.userId }] : []))
      : [];
  } catch {
    return [];
  }
}

/** The pool's accounts with this email (ListUsers filters on it exactly), with their groups. */
export async function accountsWithEmail(client: Pick<CognitoIdentityProviderClient, 'send'>, userPoolId: string, email: string): Promise<InvitedAccount[]> {
  const { ListUsersCommand, AdminListGroupsForUserCommand } = await sdk();
  // The email is an address the identity provider verified; quotes and backslashes are not in one.
  if (/["\\]/.test(email)) return [];
  const { Users = [] } = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: `email = "${email}"`, Limit: 10 }));
  return Promise.all(
    Users.map(async (user) => {
      const { Groups = [] } = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: user.Username! }));
      const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
      return {
        username: user.Username!,
        ...(attribute('email') ? { email: attribute('email')! } : {}),
        emailVerified: attribute('email_verified') === 'true',
        enabled: user.Enabled !== false,
        status: user.UserStatus ?? '',
        groups: Groups.map((g) => g.GroupName!).filter(Boolean),
        identities: identitiesOf(attribute('identities')),
      };
    }),
  );
}

/**
 * Cognito's pre sign-up trigger: a FranceConnect or ProConnect first sign-in is linked to the invited account of the
 * same verified email (AdminLinkProviderForUser), so it signs in as that account, with its groups and ledger id;
 * otherwise the sign-up is refused (an error here is Cognito's refusal). Native sign-ups pass unchanged (there are
 * none: only invitations create accounts).
 */
export async function linkFederatedSignIn(client: Pick<CognitoIdentityProviderClient, 'send'>, raw: unknown, logger?: Pick<Logger, 'warn'>) {
  const event = PreSignUpEvent.parse(raw);
  if (event.triggerSource !== 'PreSignUp_ExternalProvider') return raw;
  const email = verifiedEmailOf(event.request.userAttributes);
  const accounts = email ? await accountsWithEmail(client, event.userPoolId, email) : [];
  const decision = decideLink(event, accounts);
  if (decision.kind === 'refuse') {
    // The reason, never the email: it is personal data.
    logger?.warn('federated sign-in refused', { reason: decision.reason });
    throw new Error(REFUSED_MESSAGE);
  }
  if (decision.kind === 'link') {
    const { AdminLinkProviderForUserCommand } = await sdk();
    await client.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: event.userPoolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: decision.destination },
        SourceUser: { ProviderName: decision.provider, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: decision.subject },
      }),
    );
  }
  return raw;
}

const logger = new Logger({ serviceName: 'certification-ledger' });
export const handler = async (event: unknown) => linkFederatedSignIn(cognitoClient(), event, logger);
