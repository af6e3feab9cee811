import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGET_BUNDLE_BYTES } from '../../infra/bundling/options.js';
import { OIDC_RELAY_MODULE } from '../../infra/constructs/ledger-sign-in.js';
import { type FakeOidcProvider, functionUrlRequest, startFakeOidcProvider, USERINFO_CLAIMS } from '../support/fake-oidc-provider.js';
import { bundleAsTheStackDoes, type StackBundle } from '../support/stack-bundle.js';
import { SYNTH_TIMEOUT } from './support.js';

// The OIDC relay as the stack bundles it (its grants' defines, zod/mini, jose, the Powertools logger), then run
// against a fake provider on loopback: what Cognito would meet once deployed.
let built: StackBundle;
let bundle: string;
let provider: FakeOidcProvider;
let handler: (event: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
const saved = { ...process.env };

beforeAll(async () => {
  built = bundleAsTheStackDoes(OIDC_RELAY_MODULE);
  bundle = built.source();
  provider = await startFakeOidcProvider('fc-client');
  process.env.OIDC_RELAY_PROVIDERS = JSON.stringify({ FranceConnect: { issuer: provider.issuer, clientId: 'fc-client', acrValues: 'eidas1' } });
  ({ handler } = await built.load<{ handler: typeof handler }>());
}, SYNTH_TIMEOUT);

afterAll(async () => {
  process.env = saved;
  await provider?.close();
  built?.remove();
});

describe('the OIDC relay, as deployed', () => {
  it(`is a bundle of at most ${TARGET_BUNDLE_BYTES / 1024} KB, and loads no AWS SDK client`, () => {
    const bytes = Buffer.byteLength(bundle);
    console.info(`oidc-relay bundle: ${(bytes / 1024).toFixed(1)} KB minified`);
    expect(bytes).toBeLessThanOrEqual(TARGET_BUNDLE_BYTES);
    expect(/@aws-sdk\//.test(bundle)).toBe(false);
  });

  it('redirects the authorisation with acr_values, and answers the verified userinfo as JSON; a forged one as invalid_token', async () => {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'fc-client',
      redirect_uri: 'https://ledger.auth.eu-west-3.amazoncognito.com/oauth2/idpresponse',
      scope: 'openid email',
      state: 's',
      nonce: 'n',
    });
    const authorize = await handler(functionUrlRequest('GET', '/FranceConnect/authorize', { query: query.toString() }));
    expect(authorize.statusCode).toBe(302);
    expect(new URL(authorize.headers.location!).searchParams.get('acr_values')).toBe('eidas1');
    const userinfo = await handler(functionUrlRequest('GET', '/FranceConnect/userinfo', { headers: { authorization: 'Bearer at' } }));
    expect(userinfo.statusCode).toBe(200);
    expect(JSON.parse(userinfo.body)).toMatchObject(USERINFO_CLAIMS);
    provider.signUserinfo = () => provider.sign(provider.keys.stranger, USERINFO_CLAIMS);
    const forged = await handler(functionUrlRequest('GET', '/FranceConnect/userinfo', { headers: { authorization: 'Bearer at' } }));
    expect(forged.statusCode).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ error: 'invalid_token' });
  });
});
