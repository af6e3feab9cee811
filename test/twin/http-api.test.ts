import { exportJWK, generateKeyPair, SignJWT, createLocalJWKSet, type JWK } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionHost } from '../../functions/twin/function-host.js';
import { startHttpApi } from '../../functions/twin/http-api.js';
import { startLocalAws, type LocalAws } from '../../functions/twin/local-aws.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import type { StackModel } from '../../functions/twin/template.js';
import { SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';

/**
 * The HTTP API of the template over HTTP, its JWT authorizer checking tokens of the template's issuer and
 * audience. The issuer's key is the test's own (what cognito-local will hold in the twin).
 */
const work = mkdtempSync(join(tmpdir(), 'twin-http-'));
let stack: StackModel;
let resolver: Resolver;
let aws: LocalAws;
let host: FunctionHost;
let api: Awaited<ReturnType<typeof startHttpApi>>;
let privateKey: CryptoKey;
let issuer: string;
let audience: string;

beforeAll(async () => {
  stack = await synthesizedStack();
  resolver = createResolver(stack);
  aws = await startLocalAws(stack, resolver, { dataDir: work });
  host = new FunctionHost(stack, resolver, aws.gateway, aws.callers);
  const keys = await generateKeyPair('RS256', { extractable: true });
  privateKey = keys.privateKey;
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: 'twin-test', alg: 'RS256', use: 'sig' };
  const [authorizer] = stack.jwtAuthorizers;
  issuer = resolver.resolveString(authorizer!.issuer);
  audience = String((resolver.resolve(authorizer!.audience) as unknown[])[0]);
  api = await startHttpApi({
    model: stack,
    resolver,
    invoke: (id, event) => host.invoke(id, event),
    keysFor: (iss) => (iss === issuer ? createLocalJWKSet({ keys: [jwk] }) : createLocalJWKSet({ keys: [] })),
  });
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await api?.close();
  await host?.close();
  await aws?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** An ID token as Cognito issues it to an invited account. */
const token = (claims: Record<string, unknown>, opts: { iss?: string; aud?: string; expiresIn?: string } = {}) =>
  new SignJWT({ token_use: 'id', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'twin-test' })
    .setIssuer(opts.iss ?? issuer)
    .setAudience(opts.aud ?? audience)
    .setSubject('0b6c8f2e-1111-4222-a333-444455556666')
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '10m')
    .sign(privateKey);

const post = (path: string, body: unknown, bearer?: string) =>
  fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
const centre = { name: 'Centre AFPA Rennes', region: 'Bretagne' };
const dreets = { 'cognito:groups': ['dreets'], 'custom:ledger_id': 'agent-1', 'custom:region': 'Bretagne' };

describe('the HTTP API of the template', () => {
  it("keeps a client's idle connection open longer than Node's 5 s, as API Gateway does", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const once = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = get(`${api.url}/no/such/route`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    expect(await once()).toEqual({ status: 404, reused: false });
    await new Promise((r) => setTimeout(r, 6000));
    expect(await once()).toEqual({ status: 404, reused: true });
    agent.destroy();
  }, 30_000);

  it('serves a public route from its bundle', async () => {
    const res = await fetch(`${api.url}/health`);
    expect(res.status).toBe(200);
  }, 60_000);

  it("answers a path no route matches with API Gateway's 404", async () => {
    const res = await fetch(`${api.url}/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });

  it("refuses a protected route without a token, or with a token of another issuer, audience or an expired one, with API Gateway's 401", async () => {
    expect((await post('/centres', centre)).status).toBe(401);
    for (const bad of [
      await token(dreets, { iss: 'https://elsewhere.example/pool' }),
      await token(dreets, { aud: 'another-client' }),
      await token(dreets, { expiresIn: '-1m' }),
      'not-a-jwt',
    ]) {
      const res = await post('/centres', centre, bad);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: 'Unauthorized' });
    }
  });

  it('hands the function the claims as API Gateway flattens them, so its own role check runs on them', async () => {
    const asCandidate = await post('/centres', centre, await token({ 'cognito:groups': ['candidate'], 'custom:ledger_id': 'cand-1' }));
    expect(asCandidate.status).toBe(403);
    const asDreets = await post('/centres', centre, await token(dreets));
    expect(asDreets.status, await asDreets.clone().text()).toBe(201);
  }, 60_000);

  it('answers preflights itself as the template’s CorsConfiguration says, for any path and before the authorizer; other answers carry the configured CORS headers, not the function’s', async () => {
    const cors = stack.httpApis[0]!.cors!;
    expect(cors).toBeDefined();
    const preflight = (path: string, method: string, headers = 'accept') =>
      fetch(`${api.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://verifier.example', 'access-control-request-method': method, 'access-control-request-headers': headers },
      });
    for (const path of ['/verify/7KQ2-M9XD-4HTB-P3WX6', '/centres', '/no/such/route']) {
      const res = await preflight(path, 'GET');
      expect([path, res.status]).toEqual([path, 204]);
      expect(res.headers.get('access-control-allow-origin')).toBe(cors.allowOrigins.includes('*') ? '*' : null);
      expect(res.headers.get('access-control-allow-methods')).toBe(cors.allowMethods.join(','));
      expect(res.headers.get('access-control-allow-headers')).toBe(cors.allowHeaders.join(','));
      expect(res.headers.get('access-control-max-age')).toBe(String(cors.maxAge));
    }
    // What the configuration does not allow (a POST, an Authorization header) gets no CORS headers: the browser stops there.
    expect(cors.allowMethods).not.toContain('POST');
    expect((await preflight('/centres', 'POST')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('/candidates/c1/record', 'GET', 'authorization')).headers.get('access-control-allow-origin')).toBeNull();
    // An OPTIONS that is no preflight goes to the routes: there is none.
    expect((await fetch(`${api.url}/verify/7KQ2-M9XD-4HTB-P3WX6`, { method: 'OPTIONS' })).status).toBe(404);
    // A request with an origin gets the configured header on any answer, without one none (what CloudFront adds is CloudFront's).
    const withOrigin = await fetch(`${api.url}/no/such/route`, { headers: { origin: 'https://verifier.example' } });
    expect([withOrigin.status, withOrigin.headers.get('access-control-allow-origin')]).toEqual([404, '*']);
    expect((await fetch(`${api.url}/no/such/route`)).headers.get('access-control-allow-origin')).toBeNull();
  });
});
