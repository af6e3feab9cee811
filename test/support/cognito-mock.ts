import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  InvalidParameterException,
  ResourceNotFoundException,
  UsernameExistsException,
  UserNotFoundException,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { Role } from '../../functions/shared/auth.js';

interface MockUser {
  sub: string;
  attributes: Map<string, string>;
  enabled: boolean;
  status: 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED';
  groups: Set<string>;
}

/**
 * A mocked user pool that keeps its users, as Cognito does for the calls the account directory makes: sign-in by
 * email (case-insensitive), UsernameExistsException, UserNotFoundException, groups that must exist, attributes
 * the pool's schema must declare, and the invitation emails sent.
 */
export function mockCognito(userPoolId = 'eu-west-3_TestPool') {
  const client = new CognitoIdentityProviderClient({ region: 'eu-west-3', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const mock = mockClient(client);
  const users = new Map<string, MockUser>();
  const schema = new Set(['email', 'email_verified', 'custom:ledger_id', 'custom:region']);
  const groups = new Set<string>(Role.options);
  const invitations: string[] = [];
  const signedOut: string[] = [];
  const $metadata = {};

  const pool = (id: string | undefined) => {
    if (id !== userPoolId) throw new ResourceNotFoundException({ message: `User pool ${id} does not exist.`, $metadata });
  };
  const userOf = (input: { UserPoolId?: string; Username?: string }) => {
    pool(input.UserPoolId);
    // Cognito takes the email (the pool's sign-in name) or the user's own username, its `sub`.
    const user = users.get((input.Username ?? '').toLowerCase()) ?? [...users.values()].find((u) => u.sub === input.Username);
    if (!user) throw new UserNotFoundException({ message: 'User does not exist.', $metadata });
    return user;
  };

  mock
    .on(AdminCreateUserCommand)
    .callsFake((input: { UserPoolId?: string; Username?: string; UserAttributes?: AttributeType[]; DesiredDeliveryMediums?: string[]; MessageAction?: string }) => {
      pool(input.UserPoolId);
      const username = (input.Username ?? '').toLowerCase();
      if (users.has(username)) throw new UsernameExistsException({ message: 'An account with the given email already exists.', $metadata });
      const attributes = new Map<string, string>();
      for (const a of input.UserAttributes ?? []) {
        if (!schema.has(a.Name!)) throw new InvalidParameterException({ message: `Attribute does not exist in the schema: ${a.Name}`, $metadata });
        attributes.set(a.Name!, a.Value ?? '');
      }
      if (attributes.get('email')?.toLowerCase() !== username) throw new InvalidParameterException({ message: 'Username should be an email.', $metadata });
      const user: MockUser = { sub: randomUUID(), attributes, enabled: true, status: 'FORCE_CHANGE_PASSWORD', groups: new Set() };
      users.set(username, user);
      if (input.MessageAction !== 'SUPPRESS' && input.DesiredDeliveryMediums?.includes('EMAIL')) invitations.push(username);
      return { User: { Username: user.sub, Attributes: attributesOf(user), Enabled: true, UserStatus: user.status } };
    });
  mock.on(AdminAddUserToGroupCommand).callsFake((input: { UserPoolId?: string; Username?: string; GroupName?: string }) => {
    const user = userOf(input);
    if (!groups.has(input.GroupName ?? '')) throw new ResourceNotFoundException({ message: 'Group not found.', $metadata });
    user.groups.add(input.GroupName!);
    return {};
  });
  mock.on(AdminGetUserCommand).callsFake((input: { UserPoolId?: string; Username?: string }) => {
    const user = userOf(input);
    return { Username: user.sub, UserAttributes: attributesOf(user), Enabled: user.enabled, UserStatus: user.status };
  });
  mock.on(AdminListGroupsForUserCommand).callsFake((input: { UserPoolId?: string; Username?: string }) => {
    const user = userOf(input);
    return { Groups: [...user.groups].map((GroupName) => ({ GroupName, UserPoolId: userPoolId })) };
  });
  mock.on(AdminDisableUserCommand).callsFake((input: { UserPoolId?: string; Username?: string }) => {
    userOf(input).enabled = false;
    return {};
  });
  mock.on(AdminEnableUserCommand).callsFake((input: { UserPoolId?: string; Username?: string }) => {
    userOf(input).enabled = true;
    return {};
  });
  mock.on(AdminUserGlobalSignOutCommand).callsFake((input: { UserPoolId?: string; Username?: string }) => {
    signedOut.push(userOf(input).sub);
    return {};
  });

  return {
    client,
    mock,
    userPoolId,
    /** Invitation emails sent, one entry per message. */
    invitations,
    /** The users signed out everywhere (AdminUserGlobalSignOut), by `sub`, one entry per call. */
    signedOut,
    /** A user made by hand in the console (or half made by an interrupted invitation). */
    addUser(email: string, attributes: Record<string, string>, userGroups: string[] = [], status: MockUser['status'] = 'CONFIRMED') {
      users.set(email.toLowerCase(), { sub: randomUUID(), attributes: new Map(Object.entries({ email, ...attributes })), enabled: true, status, groups: new Set(userGroups) });
    },
    /** The first sign-in: the temporary password replaced. */
    confirm(email: string) {
      users.get(email.toLowerCase())!.status = 'CONFIRMED';
    },
  };
}

const attributesOf = (user: MockUser): AttributeType[] => [{ Name: 'sub', Value: user.sub }, ...[...user.attributes].map(([Name, Value]) => ({ Name, Value }))];
