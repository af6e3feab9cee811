import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningFile } from '../../functions/twin/running.js';
import { startTwin, type Twin } from '../../functions/twin/twin.js';
import { projectRoot, SYNTH_TIMEOUT } from './synthesized.js';

const dataDir = mkdtempSync(join(tmpdir(), 'twin-with-cognito-'));
let twin: Twin | undefined;
const logged: string[] = [];
/** What a twin killed on this data dir left behind: its record, naming a process long gone. */
const staleRecord = { pid: 2 ** 22 + 1, url: 'http://127.0.0.1:9/', cognitoUrl: 'http://127.0.0.1:9/' };

beforeAll(async () => {
  mkdirSync(join(dataDir, 'twin'), { recursive: true });
  writeFileSync(runningFile(dataDir), JSON.stringify(staleRecord));
  twin = await startTwin({ root: projectRoot, dataDir, port: 0, log: (line) => logged.push(line) });
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const pool = () => twin!.model.userPools[0]!;
const run = promisify(execFile);
/** The project's token command, as a user runs it, on this twin's data dir. */
const tokenCommandSaying = async (...args: string[]) => {
  const { stdout, stderr } = await run('npm', ['run', '--silent', 'token', '--', ...args], {
    cwd: projectRoot,
    env: { ...process.env, LEDGER_DATA_DIR: dataDir },
    timeout: 120_000,
  });
  return { token: stdout.trim(), said: stderr };
};
const tokenCommand = async (...args: string[]) => (await tokenCommandSaying(...args)).token;
const get = (path: string, token: string) => fetch(`${twin!.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
const createCentre = (token: string) =>
  fetch(`${twin!.url}/centres`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Centre AFPA Rennes', region: 'Bretagne' }),
  });

describe('the twin with cognito-local as its user pool, by default', () => {
  it('replaces the record a killed twin left at start; a second twin on the same data dir is refused', async () => {
    expect(logged).toContainEqual(expect.stringMatching(/^removed .*running\.json, left by a twin that no longer runs \(its process \d+ is gone\)$/));
    const record = JSON.parse(readFileSync(runningFile(dataDir), 'utf8')) as Record<string, unknown>;
    expect(record).toEqual({ pid: process.pid, url: twin!.url, cognitoUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    await expect(startTwin({ root: projectRoot, dataDir, port: 0 })).rejects.toThrow(`a twin already runs on ${dataDir} (${twin!.url})`);
  });

  it("gives the template's pool and clients the ids cognito-local chose, in the authorizer's issuer and audience", () => {
    const poolId = twin!.resolver.ref(pool().logicalId);
    expect(poolId).toMatch(/^local_/);
    const [authorizer] = twin!.model.jwtAuthorizers;
    expect(twin!.resolver.resolveString(authorizer!.issuer)).toBe(`https://cognito-idp.${twin!.resolver.region}.amazonaws.com/${poolId}`);
  });

  it('signs an invited account in: its ID token carries custom:ledger_id and custom:region; the ledger reads the caller from it', async () => {
    const token = await twin!.token({ 'cognito:groups': ['dreets'], 'custom:ledger_id': 'agent-1', 'custom:region': 'Bretagne' });
    expect(decodeJwt(token)).toMatchObject({ token_use: 'id', 'cognito:groups': ['dreets'], 'custom:ledger_id': 'agent-1', 'custom:region': 'Bretagne' });
    expect(decodeJwt(token).sub).not.toBe('agent-1');
    const created = await createCentre(token);
    expect(created.status, await created.clone().text()).toBe(201);
    // An account never linked to the ledger (no custom:ledger_id) is a valid token all the same, refused by the ledger.
    const unlinked = await createCentre(await twin!.token({ 'cognito:groups': ['dreets'] }));
    expect(unlinked.status).toBe(403);
    expect(((await unlinked.json()) as { type: string }).type).toBe('/problems/account-not-linked');
  }, 60_000);

  it('a second token for the same account signs in again, its ledger id unchanged (custom:ledger_id is immutable)', async () => {
    const claims = { 'cognito:groups': ['centre'], 'custom:ledger_id': 'centre-again' };
    const first = decodeJwt(await twin!.token(claims));
    const second = decodeJwt(await twin!.token(claims));
    expect(second.sub).toBe(first.sub);
    expect(second['custom:ledger_id']).toBe('centre-again');
  }, 60_000);

  it('refuses a token the pool did not sign', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const [authorizer] = twin!.model.jwtAuthorizers;
    const forged = await new SignJWT({ token_use: 'id', 'cognito:groups': ['ministry'], 'custom:ledger_id': 'm-1' })
      .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
      .setIssuer(twin!.resolver.resolveString(authorizer!.issuer))
      .setAudience(String((twin!.resolver.resolve(authorizer!.audience) as unknown[])[0]))
      .setSubject('someone')
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await get('/statistics?year=2025', forged)).status).toBe(401);
  });

  it(
    'npm run token on the data dir mints through the running twin, and through its pool once it is stopped',
    async () => {
      const { token: running, said } = await tokenCommandSaying('ministry', 'm-1');
      // On stderr, as for npm start's token: which server takes it (stdout keeps only the token).
      expect(said).toContain(`token for the twin whose LEDGER_DATA_DIR is ${dataDir}`);
      expect(decodeJwt(running)).toMatchObject({ 'cognito:groups': ['ministry'], 'custom:ledger_id': 'm-1' });
      expect((await get('/statistics?year=2025', running)).status).toBe(200);

      await twin!.stop();
      twin = undefined;
      const stopped = await tokenCommand('dreets', 'agent-3', 'Bretagne');
      twin = await startTwin({ root: projectRoot, dataDir, port: 0 });
      expect((await createCentre(stopped)).status).toBe(201);
      expect((await get('/statistics?year=2025', running)).status).toBe(200);
    },
    SYNTH_TIMEOUT,
  );
});
