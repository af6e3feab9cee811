import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUNDLE_BYTES, TARGET_BUNDLE_BYTES } from '../../infra/bundling/options.js';
import { bundleAsTheStackDoes, type StackBundle } from '../support/stack-bundle.js';
import { sampleAwsEnvironment, SYNTH_TIMEOUT } from './support.js';

// The OpenID4VCI endpoint as the stack bundles it: the @openid4vc libraries, @sd-jwt and the classic zod they need
// are a chunk beside index.mjs (infra/bundling/lazy-chunks.ts), which the first request speaking the protocol loads.
// A token request the library itself refuses proves the chunk is loaded and answering; without it, the same request
// fails.
const MODULE = 'wallet/oid4vci-endpoint';
type Handler = (event: unknown) => Promise<{ statusCode: number; body: string }>;
let bundle: StackBundle;
const saved = { ...process.env };

beforeAll(() => {
  bundle = bundleAsTheStackDoes(MODULE);
  Object.assign(process.env, { AWS_REGION: 'eu-west-3', ...sampleAwsEnvironment() });
}, SYNTH_TIMEOUT);

afterAll(() => {
  process.env = saved;
  bundle?.remove();
});

/** A token request without its pre-authorised code: the library's parser refuses it before the ledger reads anything. */
const tokenRequestWithoutCode = {
  version: '2.0',
  rawPath: '/oid4vci/token',
  pathParameters: { endpoint: 'token' },
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code' }).toString(),
  isBase64Encoded: false,
  requestContext: { http: { method: 'POST', sourceIp: '192.0.2.1' }, requestId: 'r-1' },
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe('the OpenID4VCI endpoint, as deployed', () => {
  it(`loads at INIT an index.mjs of at most ${TARGET_BUNDLE_BYTES / 1024} KB without the @openid4vc libraries: they are the chunk beside it`, () => {
    const index = bundle.source();
    const chunk = readFileSync(bundle.chunks[0]!, 'utf8');
    console.info(`oid4vci-endpoint: index.mjs ${kb(Buffer.byteLength(index))}, lazy ${basename(bundle.chunks[0]!)} ${kb(Buffer.byteLength(chunk))} minified`);
    expect(Buffer.byteLength(index)).toBeLessThanOrEqual(TARGET_BUNDLE_BYTES);
    expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
    expect(index.includes('import("./wallet-issuer.js")')).toBe(true);
    expect(/from\s*"\.\//.test(index)).toBe(false);
    // Words of @openid4vc/oauth2 (a grant it knows, its parse errors), @sd-jwt (`_sd_alg`) and zod's classic API
    // (`superRefine`): in the chunk, none in index.mjs.
    for (const text of ['authorization_code', 'Error parsing', '_sd_alg', 'superRefine']) {
      expect(index.includes(text)).toBe(false);
      expect(chunk.includes(text)).toBe(true);
    }
  });

  it('answers a token request from the libraries of its chunk', async () => {
    const { handler } = await bundle.load<{ handler: Handler }>();
    const response = await handler(tokenRequestWithoutCode);
    expect(response.statusCode).toBe(400);
    // The library's own words: the ledger's parser lets a form without the code through.
    expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/^Missing required 'pre-authorized_code'/) });
  });

  it('starts without its chunk, but cannot answer the protocol', async () => {
    const copy = join(bundle.assetDir, 'without-chunk');
    mkdirSync(copy);
    for (const file of ['index.mjs', 'package.json']) copyFileSync(join(bundle.assetDir, file), join(copy, file));
    const { handler } = (await import(pathToFileURL(join(copy, 'index.mjs')).href)) as { handler: Handler };
    expect((await handler(tokenRequestWithoutCode)).statusCode).toBe(500);
  });
});
