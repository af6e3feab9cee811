import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AdminLinkProviderForUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  InternalErrorException,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decideLink, federatedIdentity, type InvitedAccount, REFUSED_MESSAGE, verifiedEmailOf } from '../../functions/accounts/federated-sign-in.js';
import { linkFederatedSignIn } from '../../functions/accounts/link-federated-sign-in.js';

const POOL = 'eu-west-3_AbCdEf123';
const event = (userName: string, attributes: Record<string, string>, triggerSource = 'PreSignUp_ExternalProvider') => ({
  version: '1',
  region: 'eu-west-3',
  userPoolId: POOL,
  userName,
  triggerSource,
  callerContext: { awsSdkVersion: '1', clientId: 'c' },
  request: { userAttributes: attributes },
  response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
});
const invited = (over: Partial<InvitedAccount> = {}): InvitedAccount => ({
  username: '6f1c9e1e-uuid',
  email: 'marie.moreau@example.fr',
  emailVerified: true,
  enabled: true,
  status: 'CONFIRMED',
  groups: ['candidate'],
  ...over,
});
const verified = { email: 'Marie.Moreau@example.fr', email_verified: 'true' };

describe('linking a federated first sign-in to the invited account (issue 18): the rules', () => {
  it('given a FranceConnect identity with the verified email of an invited candidate, when it first signs in, then it is linked to that account', () => {
    expect(decideLink(event('FranceConnect_sub-123', verified), [invited()])).toEqual({
      kind: 'link',
      provider: 'FranceConnect',
      subject: 'sub-123',
      destination: '6f1c9e1e-uuid',
    });
  });

  it('given ProConnect and a juror, then linked; given FranceConnect and a juror, then refused (each service signs in its own roles)', () => {
    expect(decideLink(event('ProConnect_agent-9', verified), [invited({ groups: ['juror'] })]).kind).toBe('link');
    expect(decideLink(event('FranceConnect_sub-1', verified), [invited({ groups: ['juror'] })])).toMatchObject({ kind: 'refuse', reason: expect.stringMatching(/role/) });
    expect(decideLink(event('ProConnect_agent-9', verified), [invited({ groups: ['candidate'] })]).kind).toBe('refuse');
  });

  it('refuses an unverified or missing email, an unknown provider, no invited account, several, a disabled one, or only federated users', () => {
    expect(decideLink(event('FranceConnect_s', { email: 'marie.moreau@example.fr', email_verified: 'false' }), [invited()]).kind).toBe('refuse');
    expect(decideLink(event('FranceConnect_s', {}), [invited()]).kind).toBe('refuse');
    expect(decideLink(event('Google_s', verified), [invited()]).kind).toBe('refuse');
    expect(decideLink(event('FranceConnect_s', verified), []).kind).toBe('refuse');
    expect(decideLink(event('FranceConnect_s', verified), [invited(), invited({ username: 'other' })])).toMatchObject({ reason: /several/ });
    expect(decideLink(event('FranceConnect_s', verified), [invited({ enabled: false })])).toMatchObject({ reason: /disabled/ });
    expect(decideLink(event('FranceConnect_s', verified), [invited({ status: 'EXTERNAL_PROVIDER' })]).kind).toBe('refuse');
    expect(decideLink(event('FranceConnect_s', verified), [invited({ emailVerified: false })]).kind).toBe('refuse');
  });

  it('given the identity is already linked to the invited account, then it is not linked again', () => {
    const linked = invited({ identities: [{ providerName: 'FranceConnect', userId: 'sub-123' }] });
    expect(decideLink(event('FranceConnect_sub-123', verified), [linked])).toEqual({ kind: 'already-linked', destination: '6f1c9e1e-uuid' });
    expect(decideLink(event('ProConnect_sub-123', verified), [invited({ groups: ['juror'], identities: linked.identities! })]).kind).toBe('link');
  });

  it('leaves other sign-ups alone, and reads provider names and emails strictly', () => {
    expect(decideLink(event('someone', verified, 'PreSignUp_AdminCreateUser'), []).kind).toBe('not-federated');
    expect(federatedIdentity('ProConnect_a_b')).toEqual({ provider: 'ProConnect', subject: 'a_b' });
    expect(federatedIdentity('ProConnect_')).toBeUndefined();
    expect(federatedIdentity('_x')).toBeUndefined();
    expect(verifiedEmailOf(verified)).toBe('marie.moreau@example.fr');
  });
});

describe('the pre sign-up trigger against Cognito (aws-sdk-client-mock)', () => {
  // The invited account as ListUsers answers it, with the attributes a case adds (an identity already linked).
  const invitedAccount = (...attributes: { Name: string; Value: string }[]) => ({
    Users: [
      {
        Username: '6f1c9e1e-uuid',
        Enabled: true,
        UserStatus: 'CONFIRMED' as const,
        Attributes: [{ Name: 'email', Value: 'marie.moreau@example.fr' }, { Name: 'email_verified', Value: 'true' }, ...attributes],
      },
    ],
  });
  const cognito = () => {
    const mock = mockClient(CognitoIdentityProviderClient);
    mock.on(ListUsersCommand).resolves(invitedAccount());
    mock.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'candidate' }] });
    return { mock, client: new CognitoIdentityProviderClient({ region: 'eu-west-3' }) };
  };

  it('links by the verified email: ListUsers on that email, then AdminLinkProviderForUser, and answers the event', async () => {
    const { mock, client } = cognito();
    const raw = event('FranceConnect_sub-123', verified);
    expect(await linkFederatedSignIn(client, raw)).toBe(raw);
    expect(mock.commandCalls(ListUsersCommand)[0]!.args[0].input).toMatchObject({ UserPoolId: POOL, Filter: 'email = "marie.moreau@example.fr"' });
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)[0]!.args[0].input).toEqual({
      UserPoolId: POOL,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: '6f1c9e1e-uuid' },
      SourceUser: { ProviderName: 'FranceConnect', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'sub-123' },
    });
    mock.restore();
  });

  it('refuses (throws, in French) when nobody was invited, without linking; the log names the reason, not the email', async () => {
    const { mock, client } = cognito();
    mock.on(ListUsersCommand).resolves({ Users: [] });
    const warnings: unknown[][] = [];
    await expect(linkFederatedSignIn(client, event('FranceConnect_sub-123', verified), { warn: (...args: unknown[]) => warnings.push(args) })).rejects.toThrow(REFUSED_MESSAGE);
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
    expect(JSON.stringify(warnings)).not.toContain('moreau');
    mock.restore();
  });

  it('a Cognito failure while linking fails the sign-up (Cognito then refuses it; the user can try again)', async () => {
    const { mock, client } = cognito();
    mock.on(AdminLinkProviderForUserCommand).rejects(new InternalErrorException({ message: 'try later', $metadata: {} }));
    await expect(linkFederatedSignIn(client, event('FranceConnect_sub-123', verified))).rejects.toThrow('try later');
    mock.on(ListUsersCommand).rejects(new InternalErrorException({ message: 'list failed', $metadata: {} }));
    await expect(linkFederatedSignIn(client, event('FranceConnect_sub-123', verified))).rejects.toThrow('list failed');
    mock.restore();
  });

  it('an identity already linked to the invited account (a second first sign-in racing the first) is not linked again', async () => {
    const { mock, client } = cognito();
    mock
      .on(ListUsersCommand)
      .resolves(invitedAccount({ Name: 'identities', Value: JSON.stringify([{ userId: 'sub-123', providerName: 'FranceConnect', providerType: 'OIDC', primary: false }]) }));
    const raw = event('FranceConnect_sub-123', verified);
    expect(await linkFederatedSignIn(client, raw)).toBe(raw);
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
    // Another FranceConnect identity with the same email is still linked (the account had only the first).
    await linkFederatedSignIn(client, event('FranceConnect_sub-456', verified));
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)[0]!.args[0].input.SourceUser).toMatchObject({ ProviderAttributeValue: 'sub-456' });
    mock.restore();
  });

  it('a native sign-up passes untouched, with no call; a malformed event is refused', async () => {
    const { mock, client } = cognito();
    const raw = event('someone', {}, 'PreSignUp_AdminCreateUser');
    expect(await linkFederatedSignIn(client, raw)).toBe(raw);
    expect(mock.calls()).toHaveLength(0);
    await expect(linkFederatedSignIn(client, { triggerSource: 'PreSignUp_ExternalProvider' })).rejects.toThrow();
    mock.restore();
  });
});
