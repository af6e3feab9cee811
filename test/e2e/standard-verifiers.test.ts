import { createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as transmute from '@transmute/verifiable-credentials';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsPlugin from 'ajv-formats';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startWithIssuedTitre, WAIT } from '../support/issued-titre.js';
import { TARGET, type As, type HttpLedger } from '../support/ledger-target.js';

/**
 * The credential of a certificate issued through the API (a session, its deliberations, its PV validated), checked
 * with verifiers nobody here wrote, from the credential alone: the key found by resolving the JWS's `kid` (did:web,
 * over HTTP from the running ledger; no JWKS handed over), the signature checked by @transmute/verifiable-credentials
 * and by node's crypto, the document by ajv against 1EdTech's published schemas, and the revocation read in the
 * status list it names, decoded by the algorithm of W3C Bitstring Status List v1.0.
 */
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2019) => Ajv2019;
const DREETS: As = ['dreets', 'agent-1', 'Bretagne'];
const standards = join(import.meta.dirname, '../../../shared/standards');
const text = new TextEncoder();

let L: HttpLedger;
let code: string;
let publicFetch: typeof fetch;
/** A browser verifier elsewhere: every request says where the page comes from. */
const ORIGIN = { origin: 'https://verifier.example' };

/**
 * did:web resolution (W3C CCG DID Method Web): `did:web:<host>[:<path>…]` → `https://<host>/<path>/did.json`,
 * `/.well-known/did.json` without a path; the port is percent-encoded in the host. Plain http for the loopback
 * host only (the local server has no TLS). On the twin the public host is the CloudFront domain that the twin
 * answers for on its own address: its path is asked there.
 */
async function resolveDid(did: string) {
  const [method, name, host, ...path] = did.split(':');
  expect([method, name]).toEqual(['did', 'web']);
  const authority = decodeURIComponent(host!);
  const scheme = /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(authority) ? 'http' : 'https';
  const url = new URL(path.length ? `/${path.map(decodeURIComponent).join('/')}/did.json` : '/.well-known/did.json', `${scheme}://${authority}`);
  const res = await publicFetch(url, { headers: ORIGIN });
  expect(res.status, `${url}`).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const document = (await res.json()) as { id: string; verificationMethod: { id: string; controller: string; publicKeyJwk: JsonWebKey }[]; assertionMethod: string[] };
  expect(document.id).toBe(did);
  return document;
}

/** The public key a JWS names by its `kid` (a DID URL), if its DID document lets it make assertions. */
async function keyOf(jws: string): Promise<JsonWebKey> {
  const { kid } = decodeProtectedHeader(jws);
  expect(kid).toMatch(/^did:web:[^#]+#.+$/);
  const document = await resolveDid(kid!.split('#')[0]!);
  expect(document.assertionMethod).toContain(kid);
  const method = document.verificationMethod.find((m) => m.id === kid);
  expect(method?.controller).toBe(document.id);
  return method!.publicKeyJwk;
}

/** @transmute/verifiable-credentials' verifier, its resolver finding keys through did:web only. */
const transmuteVerifier = transmute.verifier({
  resolver: {
    resolve: async ({ type, content }: { type: string; content?: Uint8Array }) => {
      if (content === undefined || type !== 'application/vc-ld+jwt') throw new Error(`this verifier resolves no ${type}`);
      const jwk = await keyOf(new TextDecoder().decode(content));
      return { type: 'application/jwk+json', content: text.encode(JSON.stringify(jwk)) };
    },
  },
} as never);
const transmuteVerify = (jws: string) => transmuteVerifier.verify<any>({ type: 'application/vc-ld+jwt', content: text.encode(jws) } as never);

/** ES256 checked by node's crypto: the JWS signing input against the JOSE (r||s) signature. */
async function nodeVerifies(jws: string) {
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const key = createPublicKey({ key: await keyOf(jws), format: 'jwk' });
  return verifySignature('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
}

/** W3C Bitstring Status List v1.0, §3.2: multibase base64url (`u`), GZIP, index 0 = the first byte's most significant bit. */
function statusBit(encodedList: string, index: number) {
  expect(encodedList.startsWith('u')).toBe(true);
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  expect(bits.length * 8).toBeGreaterThanOrEqual(131_072);
  return (bits[Math.floor(index / 8)]! >> (7 - (index % 8))) & 1;
}

/** The status a standard verifier sees: the list the credential names, fetched, verified and read at its index. */
async function revocationBit(credential: any) {
  const status = credential.credentialStatus;
  expect(status).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: expect.stringMatching(/^\d+$/) });
  const res = await publicFetch(status.statusListCredential, { headers: ORIGIN });
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
  const list = await transmuteVerify(await res.text());
  expect(list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
  expect(list.issuer.id).toBe(credential.issuer.id);
  expect(list.credentialSubject).toMatchObject({ type: 'BitstringStatusList', statusPurpose: 'revocation' });
  return statusBit(list.credentialSubject.encodedList, Number(status.statusListIndex));
}

beforeAll(async () => {
  ({ L, code, publicFetch } = await startWithIssuedTitre());
}, 600_000);
afterAll(async () => L?.stop());

describe(`a credential issued through the API, checked by other people's verifiers (${TARGET} target)`, () => {
  it('its key is found from the credential alone (kid → did:web → DID document) and the signature verifies with transmute and node crypto; one changed byte is refused', async () => {
    const res = await L.call('GET', `/certificates/${encodeURIComponent(code)}/credential`, { headers: ORIGIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const credential = await transmuteVerify(res.text);
    expect(credential.type).toEqual(['VerifiableCredential', 'AchievementCredential']);
    expect(await nodeVerifies(res.text)).toBe(true);
    const [header, body, signature] = res.text.split('.') as [string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[40]! ^= 0x01;
    const tampered = [header, flipped.toString('base64url'), signature].join('.');
    await expect(transmuteVerify(tampered)).rejects.toThrow();
    expect(await nodeVerifies(tampered)).toBe(false);
  });

  it('has the Open Badges 3.0 JWT claims, one issuer per certifier on the public host, a subject id that names nobody, and validates against 1EdTech’s schemas', async () => {
    const jws = (await L.call('GET', `/certificates/${encodeURIComponent(code)}/credential`)).text;
    const credential = await transmuteVerify(jws);
    const { kid, typ } = decodeProtectedHeader(jws);
    expect(typ).toBe('JWT');
    expect(credential.iss).toBe(credential.issuer.id);
    expect(credential.issuer.id).toMatch(/^did:web:[^:]+:certifiers:[a-z0-9-]+$/);
    expect(kid!.startsWith(`${credential.issuer.id}#`)).toBe(true);
    expect(credential.jti).toBe(credential.id);
    expect(credential.sub).toBe(credential.credentialSubject.id);
    expect(credential.sub).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(credential.nbf).toBe(Date.parse(credential.validFrom) / 1000);
    // Valid from the day of the PV (midnight), signed once the workflow ran after it was validated (14:00 on the virtual clock).
    expect(credential.validFrom).toBe('2025-10-07T00:00:00Z');
    expect(credential.iat).toBeGreaterThanOrEqual(Date.parse('2025-10-07T14:00:00Z') / 1000);
    expect(credential.iat).toBeLessThan(Date.parse('2025-10-08T00:00:00Z') / 1000);
    expect(jws).not.toMatch(/Moreau/i);
    const ajv = addFormats(new Ajv2019({ strict: false, allErrors: true }));
    const validate = ajv.compile(JSON.parse(readFileSync(join(standards, 'ob_v3p0_achievementcredential.schema.json'), 'utf8')));
    const validateProfile = ajv.compile(JSON.parse(readFileSync(join(standards, 'ob_v3p0_profile.schema.json'), 'utf8')));
    expect(validate(credential), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(validateProfile(credential.issuer), JSON.stringify(validateProfile.errors, null, 1)).toBe(true);
  });

  it('a revocation flips the bit a standard verifier reads in the status list; before it, the bit is 0', async () => {
    const jws = (await L.call('GET', `/certificates/${encodeURIComponent(code)}/credential`)).text;
    const credential = await transmuteVerify(jws);
    expect(await revocationBit(credential)).toBe(0);
    await L.setClock('2025-12-01T10:00:00Z');
    const revoked = await L.call('POST', `/certificates/${encodeURIComponent(code)}/revocation`, {
      as: DREETS,
      body: { reason: 'Fraude établie à l’épreuve', legalBasis: 'Arrêté du 22 décembre 2015, art. 9' },
    });
    expect(revoked.status, revoked.text).toBe(201);
    expect(await eventually(async () => ((await revocationBit(credential)) === 1 ? 1 : undefined), 'the revocation in the status list', WAIT)).toBe(1);
    // The credential served is the same signed document: its status, not its bytes, says it is revoked.
    expect((await L.call('GET', `/certificates/${encodeURIComponent(code)}/credential`)).text).toBe(jws);
  });

  it('the public reads answer any origin (CORS, GET only) and their preflight', async () => {
    const jws = (await L.call('GET', `/certificates/${encodeURIComponent(code)}/credential`)).text;
    const issuerPath = new URL(`http://x/${(await transmuteVerify(jws)).issuer.id.split(':').slice(3).join('/')}/did.json`).pathname;
    for (const path of [`/verify/${code}`, `/certificates/${code}/credential`, issuerPath, '/.well-known/did.json', '/.well-known/jwks.json']) {
      const res = await L.call('GET', path, { headers: ORIGIN });
      expect([path, res.status, res.headers.get('access-control-allow-origin')]).toEqual([path, 200, '*']);
      const preflight = await fetch(`${L.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://verifier.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'accept' },
      });
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-methods')).toMatch(/GET/);
    }
  });
});
