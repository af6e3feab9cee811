import { randomBytes, randomUUID } from 'node:crypto';
import { digest, ES256 } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RNCP, startWithIssuedTitre } from '../support/issued-titre.js';
import { TARGET, type HttpLedger } from '../support/ledger-target.js';
import { acceptOffer, testWallet } from '../support/test-wallet.js';

/**
 * The European Digital Identity Wallet's way in, with a wallet built from the OpenWallet Foundation's OpenID4VCI
 * client (@openid4vc/openid4vci) and a verifier from @sd-jwt/sd-jwt-vc: the holder's offer (what the candidate
 * page shows as a QR code) is resolved, its pre-authorised code exchanged, a nonce signed with the wallet's key,
 * and the SD-JWT VC received is presented with key binding and verified with the issuer's keys found at
 * /.well-known/jwt-vc-issuer. Nothing of the ledger's code is used on the wallet's or the verifier's side.
 */
let L: HttpLedger;
let holder: string;
let code: string;
let walletFetch: typeof fetch;
const accept = (offerUri: string) => acceptOffer(offerUri, walletFetch);
const newWallet = () => testWallet(walletFetch);

/** The issuer's key, as a verifier finds it: `<iss>/.well-known/jwt-vc-issuer`, the key named by the header's kid. */
async function issuerKey(sdJwt: string, iss: string) {
  const res = await walletFetch(`${iss}/.well-known/jwt-vc-issuer`);
  expect(res.status).toBe(200);
  const metadata = (await res.json()) as { issuer: string; jwks: { keys: (JWK & { kid: string })[] } };
  expect(metadata.issuer).toBe(iss);
  const { kid } = decodeProtectedHeader(sdJwt.split('~')[0]!);
  return metadata.jwks.keys.find((k) => k.kid === kid)!;
}

beforeAll(async () => {
  ({ L, holder, code, publicFetch: walletFetch } = await startWithIssuedTitre());
}, 600_000);
afterAll(async () => L?.stop());

describe(`the EU wallet: OpenID4VCI pre-authorised code, SD-JWT VC (${TARGET} target)`, () => {
  it('a wallet built from @openid4vc accepts the holder’s offer; @sd-jwt/sd-jwt-vc verifies the credential presented with key binding, names and birth date disclosed only when chosen', async () => {
    const offered = await L.call('GET', `/candidates/${holder}/credential-offers/${encodeURIComponent(code)}`, { as: ['candidate', holder] });
    expect(offered.status, offered.text).toBe(200);
    expect(offered.json.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/);
    const { wallet, offer, sdJwt } = await accept(offered.json.offerUri);
    expect(offer.credential_configuration_ids).toEqual(['titre-professionnel']);
    expect(decodeProtectedHeader(sdJwt.split('~')[0]!).typ).toBe('dc+sd-jwt');

    const iss = offer.credential_issuer;
    const key = await issuerKey(sdJwt, iss);
    const presentationNonce = randomUUID();
    const sdjwtvc = new SDJwtVcInstance({
      hasher: digest,
      hashAlg: 'sha-256',
      saltGenerator: (length: number) => randomBytes(length).toString('base64url'),
      verifier: await ES256.getVerifier(key),
      kbSigner: await ES256.getSigner(wallet.privateJwk),
      kbSignAlg: 'ES256',
      kbVerifier: async (data: string, signature: string, payload: { cnf?: { jwk?: JWK } }) => (await ES256.getVerifier(payload.cnf!.jwk!))(data, signature),
    });
    // The holder shows the titre and their family name only.
    const presentation = await sdjwtvc.present(
      sdJwt,
      { family_name: true },
      { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: 'https://employeur.example', nonce: presentationNonce } } },
    );
    const verified = await sdjwtvc.verify(presentation, { keyBindingNonce: presentationNonce });
    expect(verified.kb).toBeDefined();
    expect(verified.payload).toMatchObject({
      iss,
      vct: 'urn:certification-ledger:titre-professionnel',
      family_name: 'Moreau',
      certificate_code: code,
      certification: { rncp: RNCP, level: 5 },
      cnf: { jwk: { kty: 'EC', crv: 'P-256', x: wallet.publicJwk.x, y: wallet.publicJwk.y } },
    });
    expect(verified.payload).not.toHaveProperty('given_name');
    expect(verified.payload).not.toHaveProperty('birthdate');
    // All three are in the issued credential, as disclosures only: the issuer-signed part names nobody.
    const full = await sdjwtvc.verify(
      await sdjwtvc.present(sdJwt, { family_name: true, given_name: true, birthdate: true }, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: 'x', nonce: 'n' } } }),
      { keyBindingNonce: 'n' },
    );
    expect(full.payload).toMatchObject({ family_name: 'Moreau', given_name: expect.any(String), birthdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(Buffer.from(sdJwt.split('~')[0]!.split('.')[1]!, 'base64url').toString()).not.toMatch(/Moreau/);

    // Another wallet's key cannot use the credential: a presentation signed by it fails key binding.
    const thief = await newWallet();
    const stolen = new SDJwtVcInstance({
      hasher: digest,
      hashAlg: 'sha-256',
      verifier: await ES256.getVerifier(key),
      kbSigner: await ES256.getSigner(thief.privateJwk),
      kbSignAlg: 'ES256',
      kbVerifier: async (data: string, signature: string, payload: { cnf?: { jwk?: JWK } }) => (await ES256.getVerifier(payload.cnf!.jwk!))(data, signature),
    });
    await expect(
      stolen.verify(await stolen.present(sdJwt, {}, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: 'x', nonce: 'n' } } }), { keyBindingNonce: 'n' }),
    ).rejects.toThrow();
  });

  it('a pre-authorised code works once, and not after it expires; a foreign candidate gets no offer', async () => {
    const first = (await L.call('GET', `/candidates/${holder}/credential-offers/${encodeURIComponent(code)}`, { as: ['candidate', holder] })).json.offerUri as string;
    await accept(first);
    await expect(accept(first)).rejects.toThrow();
    const later = (await L.call('GET', `/candidates/${holder}/credential-offers/${encodeURIComponent(code)}`, { as: ['candidate', holder] })).json.offerUri as string;
    await L.setClock('2025-10-07T15:00:00Z');
    await expect(accept(later)).rejects.toThrow();
    const preAuthorized = JSON.parse(new URL(later).searchParams.get('credential_offer')!).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
    const token = await L.call('POST', '/oid4vci/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': preAuthorized }).toString(),
    });
    expect(token.status).toBe(400);
    expect(token.json).toMatchObject({ error: 'invalid_grant', type: '/problems/invalid-grant' });
    expect((await L.call('GET', `/candidates/${holder}/credential-offers/${encodeURIComponent(code)}`, { as: ['candidate', 'someone-else'] })).status).toBe(403);
    expect((await L.call('POST', '/oid4vci/credential', { body: {} })).status).toBe(401);
  });
});
