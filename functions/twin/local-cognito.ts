import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { standInCredentials, startSigV4Guard } from '../local/stand-in-guard.js';
import { z } from 'zod';
import type { StackModel, UserPool } from './template.js';

/**
 * The template's user pools in cognito-local: each pool with its schema (custom attributes included),
 * groups and clients, created once and found again on restart. cognito-local keeps its state under its
 * working directory, so it runs as a child process there; its tokens carry the issuer AWS would
 * (`https://cognito-idp.<region>.amazonaws.com/<pool>`) so the API's JWT authorizer checks them as on AWS.
 */

export class CognitoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What Cognito itself answers without AWS credentials: a user's own sign-in and session (the JWKS, InitiateAuth,
 * RespondToAuthChallenge, the calls that carry the user's access token). Everything else (Admin*, pools, groups,
 * clients: enough to give any account `custom:ledger_id` of a DREETS agent) needs the data dir's signature, as on
 * AWS it needs IAM credentials. Sign-up is not open: the template's pool lets administrators create accounts only.
 */
const PUBLIC_OPERATIONS = new Set([
  'InitiateAuth',
  'RespondToAuthChallenge',
  'GetUser',
  'GlobalSignOut',
  'RevokeToken',
  'ChangePassword',
  'ForgotPassword',
  'ConfirmForgotPassword',
]);
export const publicCognitoRequest = (req: IncomingMessage) => {
  const path = new URL(req.url ?? '/', 'http://cognito').pathname;
  if (req.method === 'GET') return /^\/[\w-]+\/\.well-known\/(jwks\.json|openid-configuration)$/.test(path);
  const target = String(req.headers['x-amz-target'] ?? '');
  return req.method === 'POST' && path === '/' && PUBLIC_OPERATIONS.has(target.replace(/^AWSCognitoIdentityProviderService\./, ''));
};

const cognitoRefusal = (reason: string) => ({
  contentType: 'application/x-amz-json-1.1',
  body: JSON.stringify({ __type: 'NotAuthorizedException', message: `The request signature is not valid (${reason})` }),
});

/** Run in cognito-local's process: its server listens on COGNITO_SOCKET instead of the port its config names. */
const LISTEN_ON_SOCKET = `import net from 'node:net';
process.on('disconnect', () => process.exit(0));
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const done = args.find((a) => typeof a === 'function');
  return done ? listen.call(this, process.env.COGNITO_SOCKET, done) : listen.call(this, process.env.COGNITO_SOCKET);
};`;

/**
 * A request made ready for its upstream: the body to forward, or the answer itself, for a call the upstream does
 * not serve (cognito-local has no AdminUserGlobalSignOut) that the twin answers as AWS would, once authorised.
 */
export type Prepared = Buffer | { answer: { status: number; body: Record<string, unknown> } };

export interface LocalCognito {
  /** The SigV4 guard on loopback in front of cognito-local (which itself serves a unix socket in a 0700 folder). */
  url: string;
  /** cognito-local's socket, `unix:<path>`, for the twin's AWS gateway (which checks each function's signature). */
  upstream: string;
  /** Its process. */
  pid: number;
  /** By logical id: the pool ids and client ids cognito-local chose (the resolver's overrides). */
  ids: Record<string, string>;
  jwksUrl(poolId: string): string;
  call(operation: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /**
   * An ID token of an account of `pool` signed in through `client`: the account is created (admin, as the
   * ledger invites), given the attributes and groups, and signed in with a password.
   */
  signIn(poolLogicalId: string, account: { email: string; groups: string[]; attributes: Record<string, string> }): Promise<string>;
  /**
   * An ID token of an account already in `pool` (one the ledger invited), as its user signing in gets it: a
   * `UserNotFoundException` when there is none, `NotAuthorizedException` when it is disabled.
   */
  signInAs(poolLogicalId: string, email: string): Promise<string>;
  /**
   * A function's call as cognito-local must see it to answer as Cognito does: AdminListGroupsForUser compares
   * the groups' members with the Username as given, so an alias (the email of a pool whose usernames are
   * emails) finds no group there, while Cognito resolves it to the account. The alias becomes the account's
   * username. AdminUserGlobalSignOut, which cognito-local does not serve, is answered here as Cognito answers it
   * (nothing for an account of the pool, UserNotFoundException otherwise): the twin's sign-in gives no refresh
   * token to end, and the ledger refuses the ID tokens itself. Every other call goes as it came.
   */
  beforeForward(operation: string, body: Buffer): Promise<Prepared>;
  stop(): Promise<void>;
}

const listPools = z.object({ UserPools: z.array(z.object({ Id: z.string(), Name: z.string() })).default([]) });
const adminUser = z.object({ Username: z.string(), Enabled: z.boolean().default(true) });
const existingUser = z.object({ UserAttributes: z.array(z.object({ Name: z.string(), Value: z.string() })).default([]) });
const aliasedRequest = z.looseObject({ UserPoolId: z.string(), Username: z.string() });
const listClients = z.object({ UserPoolClients: z.array(z.object({ ClientId: z.string(), ClientName: z.string() })).default([]) });

export async function startLocalCognito(model: StackModel, region: string, dir: string): Promise<LocalCognito> {
  mkdirSync(join(dir, '.cognito'), { recursive: true });
  // Only the issuer is configured: everything else about the pools comes from the template.
  writeFileSync(join(dir, '.cognito', 'config.json'), JSON.stringify({ TokenConfig: { IssuerDomain: `https://cognito-idp.${region}.amazonaws.com` } }));
  // cognito-local checks no signature: it serves a unix socket in a folder of its own (0700), reached from outside
  // only through a SigV4 guard that lets unsigned only what Cognito answers unsigned (issue 17).
  const sockets = mkdtempSync(join(tmpdir(), 'ledger-cognito-'));
  chmodSync(sockets, 0o700);
  const socketPath = join(sockets, 'cognito.sock');
  const bin = join(dirname(createRequire(import.meta.url).resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js');
  // Its server would outlive a twin that dies without stopping it: with an IPC channel to the twin, it exits
  // when the channel closes, which the system does when the twin's process ends, however it ends.
  const child: ChildProcess = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(LISTEN_ON_SOCKET)}`, bin], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', COGNITO_SOCKET: socketPath },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // The channel must not keep the twin's own process alive.
  child.channel?.unref();
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  let guard: Awaited<ReturnType<typeof startSigV4Guard>> | undefined;
  const stop = async () => {
    await guard?.close();
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(sockets, { recursive: true, force: true });
  };

  // The twin's own calls (provisioning, its token command) go to the socket: this process is the one that made it.
  const overSocket = (operation: string, payload: string) =>
    new Promise<{ ok: boolean; status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          socketPath,
          method: 'POST',
          path: '/',
          headers: { host: 'localhost', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ ok: (res.statusCode ?? 500) < 300, status: res.statusCode ?? 500, text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const call = async (operation: string, body: Record<string, unknown>) => {
    const res = await overSocket(operation, JSON.stringify(body));
    const json = (() => {
      try {
        return JSON.parse(res.text) as Record<string, unknown>;
      } catch {
        return {};
      }
    })();
    if (!res.ok)
      throw new CognitoError(
        String(json.__type ?? json.code ?? res.status)
          .split('#')
          .at(-1)!,
        String(json.message ?? json.Message ?? ''),
      );
    return json;
  };

  try {
    for (let i = 0; ; i++) {
      try {
        await call('ListUserPools', { MaxResults: 60 });
        break;
      } catch (e) {
        if (e instanceof CognitoError || i > 200 || child.exitCode !== null) throw new Error(`cognito-local did not start: ${(e as Error).message}\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    guard = await startSigV4Guard({ socketPath, credentials: standInCredentials(dir), forwardAuthorization: false, refusal: cognitoRefusal, unsigned: publicCognitoRequest });
    const url = guard.endpoint;
    const ids: Record<string, string> = {};
    for (const pool of model.userPools) {
      const name = `${model.stackName}-${pool.logicalId}`;
      const existing = listPools.parse(await call('ListUserPools', { MaxResults: 60 })).UserPools.find((p) => p.Name === name);
      const poolId = existing?.Id ?? String(((await call('CreateUserPool', createPoolRequest(name, pool))).UserPool as { Id: string }).Id);
      ids[pool.logicalId] = poolId;
      const clients = listClients.parse(await call('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 })).UserPoolClients;
      for (const client of pool.clients) {
        const found = clients.find((c) => c.ClientName === client.logicalId);
        ids[client.logicalId] =
          found?.ClientId ??
          String(
            (
              (await call('CreateUserPoolClient', { UserPoolId: poolId, ClientName: client.logicalId, ExplicitAuthFlows: client.explicitAuthFlows, GenerateSecret: false }))
                .UserPoolClient as { ClientId: string }
            ).ClientId,
          );
      }
      for (const group of pool.groups) {
        try {
          await call('CreateGroup', { UserPoolId: poolId, GroupName: group.groupName, ...(group.description ? { Description: group.description } : {}) });
        } catch (e) {
          if (!(e instanceof CognitoError && e.code === 'GroupExistsException')) throw e;
        }
      }
    }

    /** The account signs in with a password of the twin's (the invitation's temporary one is never seen here). */
    const passwordSignIn = async (poolLogicalId: string, email: string) => {
      const pool = model.userPools.find((p) => p.logicalId === poolLogicalId);
      const poolId = ids[poolLogicalId];
      const client = pool?.clients[0];
      if (!pool || !poolId || !client) throw new Error(`no user pool ${poolLogicalId} with a client in the template`);
      const password = `Tw1n!${randomBytes(12).toString('base64url')}`;
      await call('AdminSetUserPassword', { UserPoolId: poolId, Username: email, Password: password, Permanent: true });
      const auth = await call('AdminInitiateAuth', {
        UserPoolId: poolId,
        ClientId: ids[client.logicalId],
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      });
      const token = (auth.AuthenticationResult as { IdToken?: string } | undefined)?.IdToken;
      if (!token) throw new Error(`cognito-local answered no ID token: ${JSON.stringify(auth)}`);
      return token;
    };

    return {
      url,
      upstream: `unix:${socketPath}`,
      pid: child.pid!,
      ids,
      jwksUrl: (poolId) => `${url}/${poolId}/.well-known/jwks.json`,
      call,
      signIn: async (poolLogicalId, account) => {
        const pool = model.userPools.find((p) => p.logicalId === poolLogicalId);
        const poolId = ids[poolLogicalId];
        const client = pool?.clients[0];
        if (!pool || !poolId || !client) throw new Error(`no user pool ${poolLogicalId} with a client in the template`);
        // Cognito refuses an attribute the pool does not declare; cognito-local lets it through on AdminCreateUser.
        const declared = new Set(pool.schema.map((a) => (STANDARD_ATTRIBUTES.has(a.name) ? a.name : `custom:${a.name.replace(/^custom:/, '')}`)));
        for (const name of Object.keys(account.attributes)) {
          if (!STANDARD_ATTRIBUTES.has(name) && !declared.has(name)) throw new CognitoError('InvalidParameterException', `user.${name}: Attribute does not exist in the schema.`);
        }
        const attributes = [
          { Name: 'email', Value: account.email },
          { Name: 'email_verified', Value: 'true' },
          ...Object.entries(account.attributes).map(([Name, Value]) => ({ Name, Value })),
        ];
        try {
          await call('AdminCreateUser', { UserPoolId: poolId, Username: account.email, UserAttributes: attributes, MessageAction: 'SUPPRESS' });
        } catch (e) {
          if (!(e instanceof CognitoError && e.code === 'UsernameExistsException')) throw e;
          // The account exists (a second token for it): its immutable attributes (custom:ledger_id) stay as they are,
          // as in Cognito, and must be the ones asked for; the mutable ones are brought up to date.
          const immutable = new Set(pool.schema.filter((a) => !a.mutable).map((a) => (STANDARD_ATTRIBUTES.has(a.name) ? a.name : `custom:${a.name.replace(/^custom:/, '')}`)));
          const existing = existingUser.parse(await call('AdminGetUser', { UserPoolId: poolId, Username: account.email }));
          const current = new Map(existing.UserAttributes.map((a) => [a.Name, a.Value]));
          for (const a of attributes) {
            if (immutable.has(a.Name) && current.has(a.Name) && current.get(a.Name) !== a.Value) {
              throw new CognitoError('InvalidParameterException', `${account.email} is already linked with ${a.Name} = ${current.get(a.Name)}, which cannot change`);
            }
          }
          const mutable = attributes.filter((a) => !immutable.has(a.Name));
          if (mutable.length) await call('AdminUpdateUserAttributes', { UserPoolId: poolId, Username: account.email, UserAttributes: mutable });
        }
        for (const group of account.groups) await call('AdminAddUserToGroup', { UserPoolId: poolId, Username: account.email, GroupName: group });
        return passwordSignIn(poolLogicalId, account.email);
      },
      signInAs: async (poolLogicalId, email) => {
        const poolId = ids[poolLogicalId];
        if (!poolId) throw new Error(`no user pool ${poolLogicalId} in the template`);
        const user = adminUser.parse(await call('AdminGetUser', { UserPoolId: poolId, Username: email }));
        // Cognito refuses a disabled account at sign-in; setting a password first would not tell.
        if (!user.Enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
        return passwordSignIn(poolLogicalId, email);
      },
      beforeForward: async (operation, body) => {
        if (operation === 'AdminUserGlobalSignOut') {
          const request = aliasedRequest.safeParse(JSON.parse(body.toString('utf8') || '{}'));
          if (!request.success) return { answer: { status: 400, body: { __type: 'InvalidParameterException', message: 'UserPoolId and Username are required' } } };
          try {
            await call('AdminGetUser', { UserPoolId: request.data.UserPoolId, Username: request.data.Username });
            return { answer: { status: 200, body: {} } };
          } catch (e) {
            if (e instanceof CognitoError) return { answer: { status: 400, body: { __type: e.code, message: e.message } } };
            throw e;
          }
        }
        if (operation !== 'AdminListGroupsForUser') return body;
        const request = aliasedRequest.safeParse(JSON.parse(body.toString('utf8') || '{}'));
        if (!request.success) return body;
        try {
          const { Username } = adminUser.parse(await call('AdminGetUser', { UserPoolId: request.data.UserPoolId, Username: request.data.Username }));
          return Buffer.from(JSON.stringify({ ...request.data, Username }));
        } catch (e) {
          // No such account: cognito-local gives the answer Cognito would (UserNotFoundException) to the call as it came.
          if (e instanceof CognitoError) return body;
          throw e;
        }
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The attributes every user pool has (Cognito's standard set). */
const STANDARD_ATTRIBUTES = new Set([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);

/** The template's pool as CreateUserPool takes it; custom attributes are named without their `custom:` prefix. */
function createPoolRequest(name: string, pool: UserPool) {
  return {
    PoolName: name,
    UsernameAttributes: pool.usernameAttributes,
    Schema: pool.schema.map((a) => ({ Name: a.name.replace(/^custom:/, ''), AttributeDataType: a.attributeDataType, Mutable: a.mutable, Required: a.required })),
  };
}
