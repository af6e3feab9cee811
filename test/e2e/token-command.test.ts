import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
const token = async (dataDir: string, ...args: string[]) =>
  (await run('npm', ['run', '--silent', 'token', '--', ...args], { cwd: projectRoot, env: { ...process.env, LEDGER_DATA_DIR: dataDir }, timeout: 60_000 })).stdout.trim();

describe('npm run token on a data dir of npm start', () => {
  it("prints the local runtime's token, with the claims of an invited account", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'token-local-'));
    dirs.push(dataDir);
    expect(decodeJwt(await token(dataDir, 'dreets', 'agent-1', 'Bretagne'))).toMatchObject({
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      'cognito:groups': ['dreets'],
      'custom:ledger_id': 'agent-1',
      'custom:region': 'Bretagne',
    });
  });

  it("still prints the local runtime's when the dir also holds a stopped twin's state beside npm start's", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'token-both-'));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, 'dynamodb'));
    mkdirSync(join(dataDir, 'twin'));
    expect(decodeJwt(await token(dataDir, 'centre', 'c-1'))).toMatchObject({ iss: LOCAL_ISSUER, 'custom:ledger_id': 'c-1' });
  });
});
