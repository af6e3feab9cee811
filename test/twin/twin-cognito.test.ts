import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalIssuer } from '../../functions/twin/local-issuer.js';
import { startTwin, type Twin } from '../../functions/twin/twin.js';
import { projectRoot, SYNTH_TIMEOUT } from './synthesized.js';

const dataDir = mkdtempSync(join(tmpdir(), 'twin-with-cognito-'));
let twin: Twin;

beforeAll(async () => {
  twin = await startTwin({ root: projectRoot, dataDir, port: 0, cognito: true });
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const pool = () => twin.model.userPools[0]!;

describe('the twin with cognito-local as its user pool', () => {
  it("gives the template's pool and clients the ids cognito-local chose, in the authorizer's issuer and audience", () => {
    const poolId = twin.resolver.ref(pool().logicalId);
    expect(poolId).toMatch(/^local_/);
    const [authorizer] = twin.model.jwtAuthorizers;
    expect(twin.resolver.resolveString(authorizer!.issuer)).toBe(`https://cognito-idp.${twin.resolver.region}.amazonaws.com/${poolId}`);
  });

  it('lets through a token signed in through the pool, and refuses one the pool did not sign', async () => {
    const token = await twin.token({ 'cognito:groups': ['ministry'] });
    const res = await fetch(`${twin.url}/statistics?year=2025`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).not.toBe(401);
    const stranger = await LocalIssuer.open(join(dataDir, 'stranger-key.json'));
    const [authorizer] = twin.model.jwtAuthorizers;
    const forged = await stranger.mint(twin.resolver.resolveString(authorizer!.issuer), String((twin.resolver.resolve(authorizer!.audience) as unknown[])[0]), { 'cognito:groups': ['ministry'] });
    expect((await fetch(`${twin.url}/statistics?year=2025`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
  }, 60_000);
});
