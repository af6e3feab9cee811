import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oidcRelay, RelayProviders } from '../../functions/accounts/oidc-relay.js';
import { type FakeOidcProvider, functionUrlRequest as request, startFakeOidcProvider, USERINFO_CLAIMS as claims } from '../support/fake-oidc-provider.js';

// The relay against a fake OpenID provider on loopback (test/support/fake-oidc-provider.ts), signing its userinfo
// with jose as FranceConnect v2 does. Each test chooses how the userinfo is signed.
const CLIENT_ID = 'fc-client';
let provider: FakeOidcProvider;
let issuer: string;

beforeAll(async () => {
  provider = await startFakeOidcProvider(CLIENT_ID);
  issuer = provider.issuer;
});
afterAll(() => provider.close());
beforeEach(() => provider.reset());

const relayOf = (acrValues: string | null = 'eidas1') =>
  oidcRelay({ providers: RelayProviders.parse({ FranceConnect: { issuer, clientId: CLIENT_ID, ...(acrValues ? { acrValues } : {}) } }) });

const cognitoAuthorize = new URLSearchParams({
  response_type: 'code',
  client_id: CLIENT_ID,
  redirect_uri: 'https://ledger.auth.eu-west-3.amazoncognito.com/oauth2/idpresponse',
  scope: 'openid given_name family_name birthdate email',
  state: 'cognito-state',
  nonce: 'cognito-nonce',
});

describe('OIDC relay: /authorize', () => {
  it('given Cognito’s authorisation request, when relayed, then it redirects to the provider with acr_values=eidas1 and Cognito’s parameters unchanged', async () => {
    const response = await relayOf()(request('GET', '/FranceConnect/authorize', { query: cognitoAuthorize.toString() }));
    expect(response.statusCode).toBe(302);
    const location = new URL(response.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe(`${issuer}/authorize`);
    for (const [key, value] of cognitoAuthorize) expect(location.searchParams.get(key), key).toBe(value);
    expect(location.searchParams.get('acr_values')).toBe('eidas1');
  });

  it('given acr_values from the context, then those are sent; given Cognito’s own, then Cognito’s are kept; given none configured, then none is added', async () => {
    const substantial = await relayOf('eidas2')(request('GET', '/FranceConnect/authorize', { query: cognitoAuthorize.toString() }));
    expect(new URL(substantial.headers.location!).searchParams.get('acr_values')).toBe('eidas2');
    const own = await relayOf()(request('GET', '/FranceConnect/authorize', { query: `${cognitoAuthorize}&acr_values=eidas3` }));
    expect(new URL(own.headers.location!).searchParams.getAll('acr_values')).toEqual(['eidas3']);
    const none = await relayOf(null)(request('GET', '/FranceConnect/authorize', { query: cognitoAuthorize.toString() }));
    expect(new URL(none.headers.location!).searchParams.has('acr_values')).toBe(false);
  });

  it('given a request missing state or naming another client, then an OAuth invalid_request / invalid_client (400), no redirect', async () => {
    const withoutState = new URLSearchParams(cognitoAuthorize);
    withoutState.delete('state');
    const missing = await relayOf()(request('GET', '/FranceConnect/authorize', { query: withoutState.toString() }));
    expect(missing.statusCode).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({ error: 'invalid_request' });
    expect(missing.headers.location).toBeUndefined();
    const other = new URLSearchParams(cognitoAuthorize);
    other.set('client_id', 'someone-else');
    const stranger = await relayOf()(request('GET', '/FranceConnect/authorize', { query: other.toString() }));
    expect(stranger.statusCode).toBe(400);
    expect(JSON.parse(stranger.body)).toMatchObject({ error: 'invalid_client' });
  });

  it('given an unknown provider, endpoint or method, or no request at all, then a 4xx', async () => {
    const relay = relayOf();
    expect((await relay(request('GET', '/ProConnect/authorize', { query: cognitoAuthorize.toString() }))).statusCode).toBe(404);
    expect((await relay(request('GET', '/FranceConnect/jwks'))).statusCode).toBe(404);
    expect((await relay(request('GET', '/constructor/authorize'))).statusCode).toBe(404);
    expect((await relay(request('GET', '/FranceConnect/token'))).statusCode).toBe(405);
    expect((await relay({ nonsense: true })).statusCode).toBe(400);
  });
});

describe('OIDC relay: /token', () => {
  const form =
    'grant_type=authorization_code&code=the-code&redirect_uri=https%3A%2F%2Fledger.auth.eu-west-3.amazoncognito.com%2Foauth2%2Fidpresponse&client_id=fc-client&client_secret=s3cret';

  it('given Cognito’s token request, when relayed, then the provider receives it unchanged and its answer (the provider’s own id_token) comes back', async () => {
    const response = await relayOf()(
      request('POST', '/FranceConnect/token', { headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic Zm9vOmJhcg==' }, body: form, base64: true }),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ access_token: 'at', id_token: 'provider.id.token', token_type: 'Bearer' });
    expect(provider.tokenRequests).toHaveLength(1);
    expect(provider.tokenRequests[0]!.body).toBe(form);
    expect(provider.tokenRequests[0]!.headers.authorization).toBe('Basic Zm9vOmJhcg==');
    expect(provider.tokenRequests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('given the provider refuses the code, then its OAuth error passes through; given a malformed request, then 400 and nothing is sent', async () => {
    provider.tokenStatus = 400;
    const refused = await relayOf()(request('POST', '/FranceConnect/token', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }));
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({ error: 'invalid_grant' });
    provider.tokenRequests = [];
    const json = await relayOf()(request('POST', '/FranceConnect/token', { headers: { 'content-type': 'application/json' }, body: '{}' }));
    expect(json.statusCode).toBe(400);
    const password = await relayOf()(request('POST', '/FranceConnect/token', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' }));
    expect(password.statusCode).toBe(400);
    expect(provider.tokenRequests).toEqual([]);
  });
});

describe('OIDC relay: /userinfo', () => {
  const userinfo = (authorization = 'Bearer at') => relayOf()(request('GET', '/FranceConnect/userinfo', { headers: { authorization } }));

  it('given the provider’s signed userinfo, when relayed with Cognito’s bearer token, then the verified claims come back as JSON', async () => {
    const response = await userinfo();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toMatchObject(claims);
    expect(provider.userinfoAuthorizations).toEqual(['Bearer at']);
  });

  for (const [what, make] of [
    ['signed with another key', () => provider.sign(provider.keys.stranger, claims)],
    ['for another client (audience)', () => provider.sign(provider.keys.good, claims, { audience: 'another-client' })],
    ['expired', () => provider.sign(provider.keys.good, claims, { expiresIn: Math.floor(Date.now() / 1000) - 600 })],
    ['not a JWT (plain JSON)', async () => JSON.stringify(claims)],
    ['without a subject', () => provider.sign(provider.keys.good, { email: claims.email })],
  ] as const) {
    it(`given a userinfo ${what}, then an OAuth invalid_token (401), never a 5xx, and no claim comes back`, async () => {
      provider.signUserinfo = make;
      const response = await userinfo();
      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_token' });
      expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
      expect(response.body).not.toContain(claims.email);
    });
  }

  it('given no bearer token, then 401 without calling the provider; given the provider refuses the token, then 401', async () => {
    const none = await userinfo('');
    expect(none.statusCode).toBe(401);
    expect(provider.userinfoAuthorizations).toEqual([]);
    provider.userinfoStatus = 401;
    const refused = await userinfo();
    expect(refused.statusCode).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'invalid_token' });
  });
});

describe('OIDC relay: the provider unreachable', () => {
  it('given a discovery that fails or names another issuer, then 502 temporarily_unavailable, and it is tried again on the next request', async () => {
    const unreachable = oidcRelay({ providers: { FranceConnect: { issuer: 'http://127.0.0.1:9/api/v2', clientId: CLIENT_ID } } });
    const response = await unreachable(request('GET', '/FranceConnect/authorize', { query: cognitoAuthorize.toString() }));
    expect(response.statusCode).toBe(502);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'temporarily_unavailable' });
    let calls = 0;
    const lying = oidcRelay({
      providers: { FranceConnect: { issuer, clientId: CLIENT_ID } },
      fetch: async (input, init) => {
        calls++;
        const answer = await fetch(input, init);
        return new Response(JSON.stringify({ ...(await answer.json()), issuer: 'https://evil.example' }), { status: 200 });
      },
    });
    expect((await lying(request('GET', '/FranceConnect/authorize', { query: cognitoAuthorize.toString() }))).statusCode).toBe(502);
    expect((await lying(request('GET', '/FranceConnect/authorize', { query: cognitoAuthorize.toString() }))).statusCode).toBe(502);
    expect(calls).toBe(2);
  });
});
