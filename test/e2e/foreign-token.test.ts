import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTokenKeys, signLocalToken } from '../../functions/local/local-token.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';

/**
 * The local authoriser runs in the local server only (functions/local/runtime.ts), so this needs npm start's
 * runtime: a token minted for another LEDGER_DATA_DIR is refused with a hint; on AWS API Gateway's authorizer says
 * nothing of the kind (test/twin/http-api.test.ts: `{ message: 'Unauthorized' }`).
 */
describe('a token of another local ledger', () => {
  let L: LocalLedger;
  const otherDir = mkdtempSync(join(tmpdir(), 'ledger-other-'));
  beforeAll(async () => {
    L = await startTestLedger();
  }, 60_000);
  afterAll(async () => {
    await L?.stop();
    rmSync(otherDir, { recursive: true, force: true });
  });

  const post = (token: string) =>
    fetch(new URL('/centres', L.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Centre AFPA Rennes', region: 'Bretagne' }),
    });

  it('is refused with 401 saying it was signed by another ledger, and how to mint one for this one', async () => {
    const foreign = await signLocalToken(await localTokenKeys(otherDir), 'dreets', 'agent-1', { region: 'Bretagne' });
    const res = await post(foreign);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { type: string; detail: string };
    expect(body.type).toBe('/problems/unauthorized');
    expect(body.detail).toMatch(/signed by another local ledger/);
    expect(body.detail).toMatch(/npm run --silent token/);
    expect(body.detail).toMatch(/same LEDGER_DATA_DIR/);
    expect(body.detail).not.toContain(L.dataDir);
  });

  it('an expired token of this ledger says it expired; a token that is no JWT of the token command gets the bare refusal', async () => {
    const expired = await post(await signLocalToken(L.keys, 'dreets', 'agent-1', { region: 'Bretagne', ttlSeconds: -60 }));
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { detail: string }).detail).toMatch(/expired/);
    const garbage = await post('not-a-jwt');
    expect(garbage.status).toBe(401);
    expect(((await garbage.json()) as { detail: string }).detail).toBe('a valid bearer token is required');
  });

  it('this ledger’s own token is accepted', async () => {
    expect((await post(await L.token('dreets', 'agent-1', 'Bretagne'))).status).toBe(201);
  });
});
