import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../functions/local/local-token.js';
import { projectRoot } from '../support/spawned-ledger.js';

/** `npm run token` keeps minting the local runtime's tokens unless the data dir is a twin's (test/twin/twin-cognito.test.ts). */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const run = promisify(execFile);
const tokenCommand = (dataDir: string, ...args: string[]) =>
  run('npm', ['run', '--silent', 'token', '--', ...args], { cwd: projectRoot, env: { ...process.env, LEDGER_DATA_DIR: dataDir }, timeout: 60_000 });
const token = async (dataDir: string, ...args: string[]) => (await tokenCommand(dataDir, ...args)).stdout.trim();

/** A dir where npm start ran and a twin ran once too, whose record says it runs as `pid`, its user pool at `cognitoUrl`. */
function dirWithTwinRecord(pid: number, cognitoUrl: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'token-stale-'));
  dirs.push(dataDir);
  mkdirSync(join(dataDir, 'dynamodb'));
  mkdirSync(join(dataDir, 'twin'));
  const record = join(dataDir, 'twin', 'running.json');
  writeFileSync(record, JSON.stringify({ pid, url: 'http://127.0.0.1:9/', cognitoUrl }));
  return { dataDir, record };
}
/** The pid of a process that has ended. */
const deadPid = () =>
  new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('exit', () => resolve(child.pid!));
  });
/** A port where nothing listens any more. */
const silentPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('npm run token on a data dir of npm start', () => {
  it("prints the local runtime's token, with the claims of an invited account", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'token-local-'));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, 'dynamodb')); // npm start ran here
    expect(decodeJwt(await token(dataDir, 'dreets', 'agent-1', 'Bretagne'))).toMatchObject({
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      'cognito:groups': ['dreets'],
      'custom:ledger_id': 'agent-1',
      'custom:region': 'Bretagne',
    });
  });

  it('refuses a data dir no ledger ever ran on (a mistyped LEDGER_DATA_DIR), and makes no key there', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'token-none-'));
    dirs.push(parent);
    const mistyped = join(parent, 'ledgr');
    const refused = await tokenCommand(mistyped, 'ministry', 'm-1').then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stdout).toBe('');
    expect(refused?.stderr).toContain(`no ledger has run on ${mistyped}`);
    expect(existsSync(mistyped)).toBe(false);
  });

  it("still prints the local runtime's when the dir also holds a stopped twin's state beside npm start's", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'token-both-'));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, 'dynamodb'));
    mkdirSync(join(dataDir, 'twin'));
    expect(decodeJwt(await token(dataDir, 'centre', 'c-1'))).toMatchObject({ iss: LOCAL_ISSUER, 'custom:ledger_id': 'c-1' });
  });

  it("does not believe the record a killed twin left: its process is gone, so npm start's token, and the record is removed", async () => {
    const { dataDir, record } = dirWithTwinRecord(await deadPid(), `http://127.0.0.1:${await silentPort()}`);
    const { stdout, stderr } = await tokenCommand(dataDir, 'centre', 'c-1');
    expect(decodeJwt(stdout.trim())).toMatchObject({ iss: LOCAL_ISSUER, 'custom:ledger_id': 'c-1' });
    expect(stderr).toMatch(/names a twin that does not run \(its process \d+ is gone\); removed it/);
    expect(existsSync(record)).toBe(false);
  });

  it("nor one whose process lives but whose user pool does not answer (a pid reused): npm start's token, the record kept", async () => {
    const port = await silentPort();
    const { dataDir, record } = dirWithTwinRecord(process.pid, `http://127.0.0.1:${port}`);
    const { stdout, stderr } = await tokenCommand(dataDir, 'centre', 'c-2');
    expect(decodeJwt(stdout.trim())).toMatchObject({ iss: LOCAL_ISSUER, 'custom:ledger_id': 'c-2' });
    expect(stderr).toContain(`nothing answers at http://127.0.0.1:${port}`);
    expect(existsSync(record)).toBe(true);
  });
});
