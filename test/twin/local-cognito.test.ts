import { createRemoteJWKSet, decodeJwt } from 'jose';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeJwt } from '../../functions/twin/jwt-authorizer.js';
import { startLocalCognito, type LocalCognito } from '../../functions/twin/local-cognito.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import type { StackModel } from '../../functions/twin/template.js';
import { projectRoot, SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';

const dir = mkdtempSync(join(tmpdir(), 'twin-cognito-'));
let stack: StackModel;
let resolver: Resolver;
let cognito: LocalCognito;

beforeAll(async () => {
  stack = await synthesizedStack();
  const region = createResolver(stack).region;
  cognito = await startLocalCognito(stack, region, dir);
  resolver = createResolver(stack, { overrides: cognito.ids });
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await cognito?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const pool = () => stack.userPools[0]!;
const authorizerConfig = () => {
  const [authorizer] = stack.jwtAuthorizers;
  const issuer = resolver.resolveString(authorizer!.issuer);
  return {
    issuer,
    audience: (resolver.resolve(authorizer!.audience) as unknown[]).map(String),
    keys: createRemoteJWKSet(new URL(cognito.jwksUrl(cognito.ids[pool().logicalId]!))),
  };
};

describe("the template's user pool in cognito-local", () => {
  it('holds the groups of the template', async () => {
    const { Groups } = (await cognito.call('ListGroups', { UserPoolId: cognito.ids[pool().logicalId] })) as { Groups: { GroupName: string }[] };
    expect(Groups.map((g) => g.GroupName).sort()).toEqual(
      pool()
        .groups.map((g) => g.groupName)
        .sort(),
    );
  });

  it("issues ID tokens the API's JWT authorizer accepts as the template configures it (issuer, client as audience)", async () => {
    const token = await cognito.signIn(pool().logicalId, { email: 'agent-1@example.org', groups: ['dreets'], attributes: {} });
    const claims = decodeJwt(token);
    expect(claims.iss).toBe(`https://cognito-idp.${resolver.region}.amazonaws.com/${cognito.ids[pool().logicalId]}`);
    const auth = await authorizeJwt(authorizerConfig(), `Bearer ${token}`, []);
    expect(auth.ok).toBe(true);
    expect(auth.ok && auth.claims['cognito:groups']).toEqual(['dreets']);
    expect(auth.ok && auth.claims.token_use).toBe('id');
  });

  it('refuses an attribute the template does not declare, as Cognito does (cognito-local would not)', async () => {
    await expect(cognito.signIn(pool().logicalId, { email: 'c-1@example.org', groups: [], attributes: { 'custom:not_in_template': 'x' } })).rejects.toThrow(
      /does not exist in the schema/,
    );
  });

  it("answers a function's AdminListGroupsForUser by email as Cognito does, with the account's groups", async () => {
    const UserPoolId = cognito.ids[pool().logicalId]!;
    await cognito.signIn(pool().logicalId, { email: 'centre-9@example.org', groups: ['centre'], attributes: { 'custom:ledger_id': 'centre-9' } });
    const asItCame = { UserPoolId, Username: 'centre-9@example.org' };
    // cognito-local alone compares the alias with the groups' members, which are usernames: none.
    expect(((await cognito.call('AdminListGroupsForUser', asItCame)) as { Groups: unknown[] }).Groups).toEqual([]);
    const prepared = JSON.parse((await cognito.beforeForward('AdminListGroupsForUser', Buffer.from(JSON.stringify(asItCame)))).toString('utf8'));
    const { Groups } = (await cognito.call('AdminListGroupsForUser', prepared)) as { Groups: { GroupName: string }[] };
    expect(Groups.map((g) => g.GroupName)).toEqual(['centre']);
    const other = Buffer.from(JSON.stringify({ UserPoolId, Username: 'centre-9@example.org' }));
    expect(await cognito.beforeForward('AdminGetUser', other)).toBe(other);
  });

  it('does not outlive a twin that dies without stopping it', async () => {
    const script = join(dir, 'dies.mts');
    writeFileSync(
      script,
      `import { startLocalCognito } from ${JSON.stringify(join(projectRoot, 'functions/twin/local-cognito.ts'))};
import { readStack } from ${JSON.stringify(join(projectRoot, 'functions/twin/template.ts'))};
const c = await startLocalCognito(readStack(${JSON.stringify(stack.cdkOut)}), 'eu-west-3', ${JSON.stringify(join(dir, 'orphan'))});
console.log(c.url);
console.log(c.pid);
process.exit(0);`,
    );
    const [url, pid] = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 }).trim().split('\n').slice(-2) as [
      string,
      string,
    ];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    try {
      await expect
        .poll(
          async () =>
            fetch(url).then(
              () => 'answers',
              () => 'gone',
            ),
          { timeout: 10_000 },
        )
        .toBe('gone');
    } finally {
      // Should it have outlived its twin, this test started it and ends it.
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* gone, as it should be */
      }
    }
  }, 60_000);

  it('finds the same pool and client again after a restart', async () => {
    const before = { ...cognito.ids };
    await cognito.stop();
    cognito = await startLocalCognito(stack, resolver.region, dir);
    expect(cognito.ids).toEqual(before);
  }, 60_000);
});
