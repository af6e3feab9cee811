import 'aws-sdk-client-mock-vitest/extend';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  InternalErrorException,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { CognitoAccountDirectory } from '../../functions/adapters/cognito-account-directory.js';
import { LocalAccountDirectory } from '../../functions/adapters/local-account-directory.js';
import { MemoryAccountDirectory } from '../../functions/adapters/memory-account-directory.js';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { mockCognito } from '../support/cognito-mock.js';
import { startDynalite } from '../support/dynalite.js';
import { accountDirectoryContract } from './account-directory.contract.js';

accountDirectoryContract('in-memory', async () => {
  const directory = new MemoryAccountDirectory();
  return { directory, invitationsTo: (e) => directory.sent.filter((s) => s === e).length, signedOut: () => directory.signedOut, stop: async () => {} };
});

accountDirectoryContract('local, in a dynalite table', async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'ledger-accounts', false);
  return { directory: new LocalAccountDirectory(dynamo.client, 'ledger-accounts'), stop: dynamo.stop };
});

accountDirectoryContract('Cognito (aws-sdk-client-mock holding the pool)', async () => {
  const cognito = mockCognito();
  return {
    directory: new CognitoAccountDirectory(cognito.client, cognito.userPoolId),
    invitationsTo: (e) => cognito.invitations.filter((s) => s === e).length,
    signedOut: () => cognito.signedOut,
    stop: async () => void cognito.mock.restore(),
  };
});

describe('Cognito account directory', () => {
  const setup = () => {
    const cognito = mockCognito();
    return { cognito, directory: new CognitoAccountDirectory(cognito.client, cognito.userPoolId) };
  };

  it('creates the user with its email verified, the link attributes and an emailed invitation, then adds it to its group', async () => {
    const { cognito, directory } = setup();
    await directory.invite({ email: 'agent@dreets.gouv.fr', group: 'dreets', ledgerId: 'agent-3', region: 'Occitanie' });
    expect(cognito.mock).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserPoolId: cognito.userPoolId,
      Username: 'agent@dreets.gouv.fr',
      UserAttributes: [
        { Name: 'email', Value: 'agent@dreets.gouv.fr' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:ledger_id', Value: 'agent-3' },
        { Name: 'custom:region', Value: 'Occitanie' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognito.mock.commandCalls(AdminCreateUserCommand)[0]!.args[0].input.MessageAction).toBeUndefined();
    expect(cognito.mock).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, { UserPoolId: cognito.userPoolId, Username: 'agent@dreets.gouv.fr', GroupName: 'dreets' });
  });

  it('sets no region on an account that has none', async () => {
    const { cognito, directory } = setup();
    await directory.invite({ email: 'centre@exemple.fr', group: 'centre', ledgerId: 'centre-1' });
    const names = cognito.mock.commandCalls(AdminCreateUserCommand)[0]!.args[0].input.UserAttributes!.map((a) => a.Name);
    expect(names).toEqual(['email', 'email_verified', 'custom:ledger_id']);
  });

  it('finishes an invitation that stopped between the user and its group', async () => {
    const { cognito, directory } = setup();
    cognito.addUser('half@exemple.fr', { 'custom:ledger_id': 'juror-9' }, [], 'FORCE_CHANGE_PASSWORD');
    expect(await directory.invite({ email: 'half@exemple.fr', group: 'juror', ledgerId: 'juror-9' })).toEqual({
      email: 'half@exemple.fr',
      group: 'juror',
      ledgerId: 'juror-9',
      status: 'invited',
      sub: expect.any(String),
    });
    expect(cognito.mock).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, { Username: 'half@exemple.fr', GroupName: 'juror' });
    expect(await directory.find('half@exemple.fr')).toMatchObject({ group: 'juror', ledgerId: 'juror-9' });
  });

  it('never links an account made without custom:ledger_id (the attribute is immutable): account-exists, and it is not listed', async () => {
    const { cognito, directory } = setup();
    cognito.addUser('console@exemple.fr', {}, ['ministry']);
    await expect(directory.invite({ email: 'console@exemple.fr', group: 'ministry', ledgerId: 'ministry-1' })).rejects.toMatchObject({ code: 'account-exists' });
    expect(await directory.find('console@exemple.fr')).toBeUndefined();
    expect(cognito.mock).not.toHaveReceivedCommand(AdminAddUserToGroupCommand);
  });

  it('answers active once the invited user signed in', async () => {
    const { cognito, directory } = setup();
    await directory.invite({ email: 'c@exemple.fr', group: 'candidate', ledgerId: 'cand-1' });
    cognito.confirm('c@exemple.fr');
    expect((await directory.invite({ email: 'c@exemple.fr', group: 'candidate', ledgerId: 'cand-1' })).status).toBe('active');
  });

  it('disables through AdminDisableUser, and only an account of that link', async () => {
    const { cognito, directory } = setup();
    await directory.invite({ email: 'j@exemple.fr', group: 'juror', ledgerId: 'juror-1' });
    await expect(directory.disable('j@exemple.fr', { group: 'juror', ledgerId: 'juror-2' })).rejects.toBeInstanceOf(DomainError);
    expect(cognito.mock).not.toHaveReceivedCommand(AdminDisableUserCommand);
    await directory.disable('j@exemple.fr', { group: 'juror', ledgerId: 'juror-1' });
    expect(cognito.mock).toHaveReceivedCommandWith(AdminDisableUserCommand, { UserPoolId: cognito.userPoolId, Username: 'j@exemple.fr' });
  });

  it('answers the own id Cognito gave, disables by it as by the email, and signs out by it (AdminUserGlobalSignOut)', async () => {
    const { cognito, directory } = setup();
    const { sub } = await directory.invite({ email: 'k@exemple.fr', group: 'candidate', ledgerId: 'cand-k' });
    const { UserAttributes } = await cognito.client.send(new AdminGetUserCommand({ UserPoolId: cognito.userPoolId, Username: 'k@exemple.fr' }));
    expect(sub).toBe(UserAttributes!.find((a) => a.Name === 'sub')!.Value);
    expect(await directory.disable(sub, { group: 'candidate', ledgerId: 'cand-k' })).toEqual({ sub });
    expect(cognito.mock).toHaveReceivedCommandWith(AdminDisableUserCommand, { UserPoolId: cognito.userPoolId, Username: sub });
    await directory.signOut(sub);
    expect(cognito.mock).toHaveReceivedCommandWith(AdminUserGlobalSignOutCommand, { UserPoolId: cognito.userPoolId, Username: sub });
  });

  it("lets Cognito's other failures through, untranslated", async () => {
    const { cognito, directory } = setup();
    cognito.mock.on(AdminCreateUserCommand).rejects(new InternalErrorException({ message: 'boom', $metadata: {} }));
    await expect(directory.invite({ email: 'x@exemple.fr', group: 'centre', ledgerId: 'centre-1' })).rejects.toBeInstanceOf(InternalErrorException);
  });
});
