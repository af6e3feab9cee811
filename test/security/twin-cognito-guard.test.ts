import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCognito, startLocalCognito } from '../../functions/twin/local-cognito.js';
import type { StackModel } from '../../functions/twin/template.js';

// Issue 17: the twin's cognito-local listened on a loopback port and answered every operation unsigned, so any
// local process could AdminCreateUser an account with `custom:ledger_id` of a DREETS agent, then sign in as it.

const pool = {
  logicalId: 'Accounts',
  usernameAttributes: ['email'],
  schema: [{ name: 'ledger_id', attributeDataType: 'String', mutable: false, required: false }],
  clients: [
    {
      logicalId: 'AccountsWeb',
      clientName: 'web',
      explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      generateSecret: false,
    },
  ],
  groups: [{ logicalId: 'Dreets', groupName: 'dreets', description: undefined }],
};
const model = { stackName: 'guard-test', userPools: [pool] } as unknown as StackModel;

const target = (operation: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` });

describe('the twin’s cognito-local: a unix socket, behind a SigV4 guard that lets unsigned only what Cognito answers unsigned', () => {
  let cognito: LocalCognito;
  beforeAll(async () => {
    cognito = await startLocalCognito(model, 'eu-west-3', mkdtempSync(join(tmpdir(), 'cognito-guard-')));
  }, 60_000);
  afterAll(async () => cognito?.stop());

  it('its own server is on a unix socket; only the guard is on loopback', () => {
    expect(new URL(cognito.url).hostname).toBe('127.0.0.1');
    expect(cognito.upstream).toMatch(/^unix:\/.+\.sock$/);
    expect(existsSync(cognito.upstream.slice('unix:'.length))).toBe(true);
  });

  it('an unsigned administrator call (AdminCreateUser, ListUserPools) is refused and creates nobody', async () => {
    const poolId = cognito.ids.Accounts!;
    const create = await fetch(cognito.url, {
      method: 'POST',
      headers: target('AdminCreateUser'),
      body: JSON.stringify({ UserPoolId: poolId, Username: 'intrus@exemple.fr', UserAttributes: [{ Name: 'custom:ledger_id', Value: 'agent-1' }] }),
    });
    expect(create.status).toBe(403);
    expect((await create.json()).__type).toBe('NotAuthorizedException');
    const list = await fetch(cognito.url, { method: 'POST', headers: target('ListUserPools'), body: JSON.stringify({ MaxResults: 60 }) });
    expect(list.status).toBe(403);
    await expect(cognito.call('AdminGetUser', { UserPoolId: poolId, Username: 'intrus@exemple.fr' })).rejects.toThrow();
  });

  it('what Cognito answers unsigned still answers: the JWKS and a user’s own sign-in', async () => {
    const poolId = cognito.ids.Accounts!;
    const jwks = await fetch(cognito.jwksUrl(poolId));
    expect(jwks.status).toBe(200);
    expect((await jwks.json()).keys.length).toBeGreaterThan(0);
    // A sign-in with a wrong password reaches cognito-local, which answers as Cognito does.
    const auth = await fetch(cognito.url, {
      method: 'POST',
      headers: target('InitiateAuth'),
      body: JSON.stringify({ ClientId: cognito.ids.AccountsWeb, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'personne@exemple.fr', PASSWORD: 'faux' } }),
    });
    expect(auth.status).not.toBe(403);
    expect(JSON.stringify(await auth.json())).not.toContain('signature');
  });

  it('the twin itself still provisions and signs in (over the socket)', async () => {
    const token = await cognito.signIn('Accounts', { email: 'agent@exemple.fr', groups: ['dreets'], attributes: { 'custom:ledger_id': 'agent-1' } });
    expect(token.split('.')).toHaveLength(3);
  });
});
