import type { AdminGetUserCommandOutput, AttributeType, CognitoIdentityProviderClient, UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import { LEDGER_ID_CLAIM, REGION_CLAIM, Role } from '../shared/auth.js';
import { accountExists, accountNotFound, sameLink, type AccountDirectory, type AccountStatus, type Invitation, type LinkedAccount } from '../ports/account-directory.js';

// Imported on first use: only the account routes load the Cognito package.
const sdk = () => import('@aws-sdk/client-cognito-identity-provider');

/** What Cognito holds of an account, linked or not. */
interface CognitoUser {
  email: string;
  /** The account's own id: the `sub` of its tokens. */
  sub: string;
  ledgerId?: string;
  region?: string;
  groups: Role[];
  status: AccountStatus;
}

const statusOf = (enabled: boolean | undefined, status: UserStatusType | string | undefined): AccountStatus =>
  enabled === false ? 'disabled' : status === 'FORCE_CHANGE_PASSWORD' ? 'invited' : 'active';

const attribute = (attributes: AttributeType[] | undefined, name: string) => attributes?.find((a) => a.Name === name)?.Value || undefined;

/**
 * Accounts in a Cognito user pool whose sign-in name is the email. AdminCreateUser sends the invitation (the
 * pool's French `userInvitation` message) with a temporary password; `custom:ledger_id` is immutable and left out
 * of the app clients' write attributes, so only this adapter ever sets it, once.
 */
export class CognitoAccountDirectory implements AccountDirectory {
  constructor(
    private readonly client: Pick<CognitoIdentityProviderClient, 'send'>,
    private readonly userPoolId: string,
  ) {}

  async invite({ email, group, ledgerId, region }: Invitation): Promise<LinkedAccount> {
    try {
      const { User } = await this.client.send(
        new (await sdk()).AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            // The address is the one the inviter typed; the invitation reaching it is what verifies it.
            { Name: 'email_verified', Value: 'true' },
            { Name: LEDGER_ID_CLAIM, Value: ledgerId },
            ...(region ? [{ Name: REGION_CLAIM, Value: region }] : []),
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      await this.addToGroup(email, group);
      // In a pool whose sign-in name is the email, Cognito's own username for the user is its `sub`.
      const sub = attribute(User?.Attributes, 'sub') ?? User?.Username ?? '';
      return { email, group, ledgerId, ...(region ? { region } : {}), status: statusOf(User?.Enabled, User?.UserStatus), sub };
    } catch (error) {
      if (!(error instanceof (await sdk()).UsernameExistsException)) throw error;
    }
    const existing = await this.lookup(email);
    if (!existing?.ledgerId || !sameLink({ group, ledgerId: existing.ledgerId, region: existing.region }, { group, ledgerId, region })) throw accountExists();
    if (existing.groups.length === 0) {
      // An earlier invitation created the user and stopped before its group: this one finishes it.
      await this.addToGroup(email, group);
    } else if (existing.groups.length !== 1 || existing.groups[0] !== group) {
      throw accountExists();
    }
    if (existing.status === 'disabled') {
      // Invited again after it was disabled: the inviter's way to let the person back in.
      await this.client.send(new (await sdk()).AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: email }));
      const enabled = await this.lookup(email);
      return { email, group, ledgerId, ...(region ? { region } : {}), status: enabled?.status ?? 'invited', sub: existing.sub };
    }
    return { email, group, ledgerId, ...(region ? { region } : {}), status: existing.status, sub: existing.sub };
  }

  /** `account` is the email or the `sub`: Cognito takes either as the Username of a pool whose sign-in name is the email. */
  async disable(account: string, link: { group: Role; ledgerId: string }): Promise<{ sub: string }> {
    const existing = await this.lookup(account);
    if (!existing || existing.ledgerId !== link.ledgerId || !existing.groups.includes(link.group)) throw accountNotFound();
    await this.client.send(new (await sdk()).AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: account }));
    return { sub: existing.sub };
  }

  async signOut(sub: string): Promise<void> {
    await this.client.send(new (await sdk()).AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: sub }));
  }

  /** A linked account of one group; an account without `custom:ledger_id` (made by hand in the console) is not the ledger's. */
  async find(email: string): Promise<LinkedAccount | undefined> {
    const existing = await this.lookup(email);
    if (!existing?.ledgerId || existing.groups.length !== 1) return undefined;
    return {
      email,
      group: existing.groups[0]!,
      ledgerId: existing.ledgerId,
      ...(existing.region ? { region: existing.region } : {}),
      status: existing.status,
      sub: existing.sub,
    };
  }

  private async addToGroup(email: string, group: Role) {
    await this.client.send(new (await sdk()).AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: email, GroupName: group }));
  }

  private async lookup(email: string): Promise<CognitoUser | undefined> {
    let user: AdminGetUserCommandOutput;
    try {
      user = await this.client.send(new (await sdk()).AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: email }));
    } catch (error) {
      if (error instanceof (await sdk()).UserNotFoundException) return undefined;
      throw error;
    }
    // A ledger account is in one group; 60 is the most one page holds, far more than any account has.
    const { Groups } = await this.client.send(new (await sdk()).AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: email, Limit: 60 }));
    const ledgerId = attribute(user.UserAttributes, LEDGER_ID_CLAIM);
    const region = attribute(user.UserAttributes, REGION_CLAIM);
    return {
      email,
      sub: attribute(user.UserAttributes, 'sub') ?? user.Username ?? email,
      ...(ledgerId ? { ledgerId } : {}),
      ...(region ? { region } : {}),
      groups: (Groups ?? []).flatMap((g) => (Role.safeParse(g.GroupName).success ? [g.GroupName as Role] : [])),
      status: statusOf(user.Enabled, user.UserStatus),
    };
  }
}
