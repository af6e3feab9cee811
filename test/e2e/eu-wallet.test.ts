import { randomBytes, randomUUID } from 'node:crypto';
import { digest, ES256 } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { RNCP, startWithIssuedTitre, WAIT } from '../support/issued-titre.js';
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
const accept = (offer: { offerUri: string; txCode?: string }) => acceptOffer(offer.offerUri, offer.txCode, walletFetch);
const offerFor = async (as = holder) => (await L.call('GET', `/candidates/${holder}/credential-offers/${encodeURIComponent(code)}`, { as: ['candidate', as] })).json;
/** The token endpoint as a wallet calls it, with the offer's code and a PIN. */
const redeem = (offerUri: string, txCode: string) =>
  L.call('POST', '/oid4vci/token', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': JSON.parse(new URL(offerUri).searchParams.get('credential_offer')!).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'][
        'pre-authorized_code'
      ],
      tx_code: txCode,
    }).toString(),
  });
const newWallet = () => testWallet(walletFetch);

/**
 * The issuer's key, as a verifier finds it (SD-JWT VC, JWT VC Issuer Metadata): `/.well-known/jwt-vc-issuer`
 * inserted between the host and the path of `iss`, the key named by the header's kid.
 */
async function issuerKey(sdJwt: string, iss: string) {
  const url = new URL(iss);
  const res = await walletFetch(`${url.origin}/.well-known/jwt-vc-issuer${url.pathname}`, { headers: { origin: 'https://employeur.example' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
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
    expect(offered.json.txCode).toMatch(/^\d{6}$/);
    const { wallet, offer, sdJwt } = await accept(offered.json);
    // The offer asks the wallet for the PIN, says how it looks, and carries no PIN itself.
    expect(offer.grants?.['urn:ietf:params:oauth:grant-type:pre-authorized_code']?.tx_code).toMatchObject({ input_mode: 'numeric', length: 6 });
    expect(offered.json.offerUri).not.toContain(offered.json.txCode);
    expect(offer.credential_configuration_ids).toEqual(['titre-professionnel']);
    expect(decodeProtectedHeader(sdJwt.split('~')[0]!).typ).toBe('dc+sd-jwt');

    // The issuer is the certifier (one per certifier, as for the W3C credential), on the credential issuer's host.
    const iss = decodeJwt(sdJwt.split('~')[0]!).iss!;
    expect(iss.slice(0, offer.credential_issuer.length)).toBe(offer.credential_issuer);
    expect(iss.slice(offer.credential_issuer.length)).toMatch(/^\/certifiers\/[a-z0-9-]+$/);
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
      vct: `${offer.credential_issuer}/credential-types/titre-professionnel`,
      family_name: 'Moreau',
      certificate_code: code,
      certification: { rncp: RNCP, level: 5 },
      cnf: { jwk: { kty: 'EC', crv: 'P-256', x: wallet.publicJwk.x, y: wallet.publicJwk.y } },
    });
    expect(verified.payload).not.toHaveProperty('given_name');
    // The type's metadata is at its vct URL, readable from anywhere: the names disclosable, the certificate's claims never.
    const typeRes = await walletFetch(String(verified.payload.vct), { headers: { origin: 'https://employeur.example' } });
    expect([typeRes.status, typeRes.headers.get('access-control-allow-origin')]).toEqual([200, '*']);
    const type = (await typeRes.json()) as { vct: string; name: string; claims: { path: string[]; sd: string }[] };
    expect(type.vct).toBe(verified.payload.vct);
    expect(type.claims.find((c) => c.path[0] === 'family_name')?.sd).toBe('always');
    expect(type.claims.find((c) => c.path[0] === 'certificate_code')?.sd).toBe('never');
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

  it('a pre-authorised code works once, with its PIN, and not after it expires; three wrong PINs kill it; a foreign candidate gets no offer', async () => {
    const first = await offerFor();
    await accept(first);
    await expect(accept(first)).rejects.toThrow();
    // Without the PIN, or with a wrong one, no token; the right one still works after a typo.
    const second = await offerFor();
    await expect(accept({ offerUri: second.offerUri })).rejects.toThrow();
    const wrong = (pin: string) => String((Number(pin) + 1) % 1_000_000).padStart(6, '0');
    const typo = await redeem(second.offerUri, wrong(second.txCode));
    expect([typo.status, typo.json.error]).toEqual([400, 'invalid_grant']);
    await accept(second);
    // Three wrong PINs: the code is dead, the right PIN too.
    const third = await offerFor();
    for (let i = 0; i < 3; i++) expect((await redeem(third.offerUri, wrong(third.txCode))).status).toBe(400);
    const locked = await redeem(third.offerUri, third.txCode);
    expect([locked.status, locked.json.error]).toEqual([400, 'invalid_grant']);
    expect(locked.json.detail).toMatch(/wrong 3 times/);
    // Expired: ten minutes after the offer.
    const later = await offerFor();
    await L.setClock(new Date(Date.parse(later.expiresAt) + 1000).toISOString());
    await expect(accept(later)).rejects.toThrow();
    const token = await redeem(later.offerUri, later.txCode);
    expect(token.status).toBe(400);
    expect(token.json).toMatchObject({ error: 'invalid_grant', type: '/problems/invalid-grant' });
    expect((await L.call('GET', `/candidates/${holder}/credential-offers/${encodeURIComponent(code)}`, { as: ['candidate', 'someone-else'] })).status).toBe(403);
    expect((await L.call('POST', '/oid4vci/credential', { body: {} })).status).toBe(401);
    // A revoked certificate gets no offer: 422, as API.md's problem types say.
    const revoked = await L.call('POST', `/certificates/${encodeURIComponent(code)}/revocation`, {
      as: ['dreets', 'agent-1', 'Bretagne'],
      body: { reason: 'Fraude établie', legalBasis: 'Arrêté du 22 décembre 2015, art. 9' },
    });
    expect(revoked.status, revoked.text).toBe(201);
    const refused = await eventually(
      async () => {
        const res = await L.call('GET', `/candidates/${holder}/credential-offers/${encodeURIComponent(code)}`, { as: ['candidate', holder] });
        return res.status === 422 ? res : undefined;
      },
      'the revocation seen by the offer',
      WAIT,
    );
    expect(refused.json.type).toBe('/problems/certificate-not-valid');
  });
});
