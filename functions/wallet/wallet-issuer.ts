import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  type CallbackContext,
  clientAuthenticationNone,
  type Jwk,
  Oauth2AuthorizationServer,
  preAuthorizedCodeGrantIdentifier,
  setGlobalConfig,
  type AuthorizationServerMetadata,
} from '@openid4vc/oauth2';
import { type CredentialConfigurationSupportedWithFormats, type IssuerMetadataResult, Openid4vciIssuer, Openid4vciVersion } from '@openid4vc/openid4vci';
import { pack } from '@sd-jwt/core';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { WalletOfferFacts } from '../../domain/wallet-offer.js';
import type { PublicSigningKey } from '../ports/signer.js';
import type { LedgerDeps } from '../shared/deps.js';
import { withoutTrailingSlash } from '../certificates/certificate-urls.js';
import { claimLabelsOf, displayNameOf, SELECTIVELY_DISCLOSABLE, vctOf, WALLET_CREDENTIALS, type WalletCredentialId } from './credential-types.js';

/**
 * The ledger as an OpenID for Verifiable Credential Issuance 1.0 issuer (pre-authorised code flow) of SD-JWT VCs
 * (IETF SD-JWT VC) for the European Digital Identity Wallet: the protocol's messages are made and read by the
 * OpenWallet Foundation's @openid4vc libraries, the selective disclosures by @sd-jwt; every signature is the
 * ledger's Signer (KMS on AWS). The credential issuer and its authorisation server are the public host; the SD-JWT
 * VC `iss` is the certifier's https issuer on that host (`<host>/certifiers/<certifier>`, its keys at
 * /.well-known/jwt-vc-issuer/certifiers/<certifier>), one per certifier as for the W3C credentials.
 */

export {
  configurationIdOf,
  SELECTIVELY_DISCLOSABLE,
  typeMetadata,
  vctOf,
  WALLET_CREDENTIALS,
  type WalletCredentialId,
} from './credential-types.js';

/** How long a pre-authorised code, a nonce and an access token live. */
export const OFFER_LIFETIME_SECONDS = 600;
export const NONCE_LIFETIME_SECONDS = 300;
export const ACCESS_TOKEN_LIFETIME_SECONDS = 300;

/**
 * The public host, the credential issuer's identifier. OpenID4VCI requires https; the local server has no TLS, so
 * the libraries are told to accept http for a loopback host only (`npm start`, the tests), never elsewhere.
 */
export function issuerUrl(deps: Pick<LedgerDeps, 'publicBaseUrl'>): string {
  const url = withoutTrailingSlash(deps.publicBaseUrl);
  if (/^http:\/\/(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(url)) setGlobalConfig({ allowInsecureUrls: true });
  return url;
}
export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

const keyOf = async (deps: Pick<LedgerDeps, 'signer'>, kid: string | undefined): Promise<PublicSigningKey | undefined> =>
  (await deps.signer.publicKeys()).find((k) => k.kid === kid);

/** The libraries' callbacks, on the ledger's Signer: what they sign (access tokens) the Signer signs. */
export function walletCallbacks(deps: Pick<LedgerDeps, 'signer'>): Omit<CallbackContext, 'decryptJwe' | 'encryptJwe'> {
  return {
    hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    generateRandom: (bytes) => randomBytes(bytes),
    clientAuthentication: clientAuthenticationNone({ clientId: 'wallet' }),
    async signJwt(_signer, { header, payload }) {
      const signed = await deps.signer.sign(new TextEncoder().encode(JSON.stringify(payload)), { ...(header.typ ? { typ: header.typ } : {}) });
      const key = await keyOf(deps, signed.kid);
      return { jwt: signed.jws, signerJwk: key!.jwk as Jwk };
    },
    async verifyJwt(signer, { compact }) {
      // Only the wallet's own proofs reach here: signed by the key in their header (`jwk`).
      if (signer.method !== 'jwk') return { verified: false };
      try {
        await compactVerify(compact, await importJWK(signer.publicJwk as JWK, signer.alg));
        return { verified: true, signerJwk: signer.publicJwk };
      } catch {
        return { verified: false };
      }
    },
  };
}

export function authorizationServerMetadata(deps: Pick<LedgerDeps, 'publicBaseUrl'>): AuthorizationServerMetadata {
  const base = issuerUrl(deps);
  return {
    issuer: base,
    token_endpoint: `${base}/oid4vci/token`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    grant_types_supported: [preAuthorizedCodeGrantIdentifier],
    'pre-authorized_grant_anonymous_access_supported': true,
  } as AuthorizationServerMetadata;
}

const configurations = (deps: Pick<LedgerDeps, 'publicBaseUrl' | 'stage'>) =>
  Object.fromEntries(
    (Object.keys(WALLET_CREDENTIALS) as WalletCredentialId[]).map((id) => [
      id,
      {
        format: 'dc+sd-jwt',
        vct: vctOf(deps, id),
        cryptographic_binding_methods_supported: ['jwk'],
        credential_signing_alg_values_supported: ['ES256'],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
        // The type's metadata (OpenID4VCI 1.0 §12.2.4): how a wallet shows it, and which claims it holds.
        credential_metadata: {
          display: [{ name: displayNameOf(deps, id), locale: 'fr-FR' }],
          claims: claimLabelsOf(deps).map(({ path, label }) => ({ path, display: [{ name: label, locale: 'fr-FR' }] })),
        },
      },
    ]),
  ) as unknown as Record<WalletCredentialId, CredentialConfigurationSupportedWithFormats>;

/** The credential issuer metadata (/.well-known/openid-credential-issuer) and its authorisation server, as the libraries take them. */
export function issuerMetadata(deps: Pick<LedgerDeps, 'publicBaseUrl' | 'signer' | 'stage'>): IssuerMetadataResult {
  const base = issuerUrl(deps);
  const issuer = new Openid4vciIssuer({ callbacks: walletCallbacks(deps) });
  const known = configurations(deps);
  const credentialIssuer = issuer.createCredentialIssuerMetadata({
    credential_issuer: base,
    credential_endpoint: `${base}/oid4vci/credential`,
    nonce_endpoint: `${base}/oid4vci/nonce`,
    display: [{ name: 'Registre des titres professionnels', locale: 'fr-FR' }],
    credential_configurations_supported: known,
  });
  return { credentialIssuer, authorizationServers: [authorizationServerMetadata(deps)], originalDraftVersion: Openid4vciVersion.V1, knownCredentialConfigurations: known };
}

export const openid4vciIssuer = (deps: Pick<LedgerDeps, 'signer'>) => new Openid4vciIssuer({ callbacks: walletCallbacks(deps) });
export const authorizationServer = (deps: Pick<LedgerDeps, 'signer'>) => new Oauth2AuthorizationServer({ callbacks: walletCallbacks(deps) });

/** The PIN (OpenID4VCI `tx_code`) of an offer: digits, as many as this. */
export const TX_CODE_LENGTH = 6;
const TX_CODE_PURPOSE = 'openid4vci-tx-code';
const PRE_AUTHORIZED_CODE_TYP = 'preauth+jwt';

/**
 * A pre-authorised code that is its own record: a JWS of the ledger's key over the offer (certificate, holder,
 * expiry) and a random id, so that making an offer writes nothing (GET /candidates/{id}/credential-offers/{code}
 * stays a read) and the token endpoint needs no lookup to know what it is for. Only its redemption is recorded.
 */
export async function newPreAuthorizedCode(deps: Pick<LedgerDeps, 'signer'>, offer: WalletOfferFacts): Promise<string> {
  // Short member names: the code is in the QR code, whose density grows with it.
  const payload = {
    use: 'pre-authorized_code',
    jti: randomUUID(),
    certificate: offer.certificateCode,
    holder: offer.candidateId,
    exp: Math.floor(Date.parse(offer.expiresAt) / 1000),
  };
  return (await deps.signer.sign(new TextEncoder().encode(JSON.stringify(payload)), { typ: PRE_AUTHORIZED_CODE_TYP })).jws;
}

/** The offer a pre-authorised code was made for, if the ledger made it (expired or not: the decider says). */
export async function offerOfCode(deps: Pick<LedgerDeps, 'signer'>, code: string): Promise<WalletOfferFacts | undefined> {
  const payload = await verifyOwnJws(deps, code, PRE_AUTHORIZED_CODE_TYP);
  if (payload?.use !== 'pre-authorized_code') return undefined;
  const { certificate, holder, exp } = payload;
  return typeof certificate === 'string' && typeof holder === 'string' && typeof exp === 'number'
    ? { certificateCode: certificate, candidateId: holder, expiresAt: new Date(exp * 1000).toISOString() }
    : undefined;
}

/**
 * The offer's PIN: an HMAC of the code under a secret of the holder's own, derived from their vault key, so that
 * nobody but the ledger can compute it from the code (which the QR code shows) and it needs no storing. Undefined
 * for an erased holder: their offers die with their key.
 */
export async function txCodeOf(deps: Pick<LedgerDeps, 'vault'>, candidateId: string, code: string): Promise<string | undefined> {
  const secret = await deps.vault.secretFor(candidateId, TX_CODE_PURPOSE);
  if (!secret) return undefined;
  const mac = createHmac('sha256', secret).update(code).digest();
  // 32 bits reduced to 6 digits: the bias (2^32 mod 10^6 over 2^32) is below one in four thousand.
  return String(mac.readUInt32BE(0) % 10 ** TX_CODE_LENGTH).padStart(TX_CODE_LENGTH, '0');
}

/**
 * A nonce the ledger can check without keeping it: a JWS of the ledger's key over its expiry, so that a proof of
 * possession made for one nonce cannot be replayed after it expires.
 */
export async function newNonce(deps: Pick<LedgerDeps, 'signer' | 'clock'>): Promise<string> {
  const exp = Math.floor(Date.parse(deps.clock.now()) / 1000) + NONCE_LIFETIME_SECONDS;
  return (await deps.signer.sign(new TextEncoder().encode(JSON.stringify({ purpose: 'openid4vci-nonce', jti: randomUUID(), exp })), { typ: 'nonce+jwt' })).jws;
}

/** Whether a nonce is one of the ledger's, unexpired. */
export async function nonceIsValid(deps: Pick<LedgerDeps, 'signer' | 'clock'>, nonce: string): Promise<boolean> {
  const payload = await verifyOwnJws(deps, nonce, 'nonce+jwt');
  return payload?.purpose === 'openid4vci-nonce' && typeof payload.exp === 'number' && payload.exp * 1000 > Date.parse(deps.clock.now());
}

/** The payload of a JWS the ledger signed with one of its keys and the expected `typ`, or undefined. */
export async function verifyOwnJws(deps: Pick<LedgerDeps, 'signer'>, jws: string, typ: string): Promise<Record<string, unknown> | undefined> {
  try {
    const header = decodeProtectedHeader(jws);
    if (header.typ !== typ) return undefined;
    const key = await keyOf(deps, header.kid);
    if (!key) return undefined;
    const { payload } = await compactVerify(jws, await importJWK(key.jwk, 'ES256'));
    return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export interface WalletCredentialFacts {
  configurationId: WalletCredentialId;
  holderKey: Jwk;
  person: { familyName?: string; givenNames?: string; birthDate?: string };
  certificate: { code: string; issuedOn: string; blocs: { code: string; title: string }[] };
  certification: { rncp: string; title: string; level: number; certifier: string; certifierDid: string; sdJwtIssuer: string };
  verificationUrl: string;
}

/**
 * The SD-JWT VC (IETF SD-JWT-based Verifiable Credentials): `<issuer-signed JWT>~<disclosure>~…~`, `typ`
 * dc+sd-jwt, bound to the wallet's key (`cnf.jwk`); the person's names and birth date as salted disclosures,
 * the certificate's facts plain.
 */
export async function issueSdJwtVc(deps: Pick<LedgerDeps, 'signer' | 'clock' | 'publicBaseUrl' | 'stage'>, facts: WalletCredentialFacts): Promise<string> {
  const { person } = facts;
  const personal = {
    ...(person.familyName ? { family_name: person.familyName } : {}),
    ...(person.givenNames ? { given_name: person.givenNames } : {}),
    ...(person.birthDate ? { birthdate: person.birthDate } : {}),
  };
  const { packedClaims, disclosures } = await pack(
    personal,
    { _sd: SELECTIVELY_DISCLOSABLE.filter((c) => c in personal) } as never,
    { hasher: digest, alg: 'sha-256' },
    generateSalt,
  );
  const payload = {
    // The certifier, as its W3C credential's issuer is (its keys at /.well-known/jwt-vc-issuer/certifiers/<certifier>).
    iss: facts.certification.sdJwtIssuer,
    iat: Math.floor(Date.parse(deps.clock.now()) / 1000),
    vct: vctOf(deps, facts.configurationId),
    cnf: { jwk: facts.holderKey },
    ...packedClaims,
    _sd_alg: 'sha-256',
    certificate_code: facts.certificate.code,
    certification: { rncp: facts.certification.rncp, title: facts.certification.title, level: facts.certification.level },
    blocs: facts.certificate.blocs,
    issued_on: facts.certificate.issuedOn,
    certifier: { name: facts.certification.certifier, id: facts.certification.certifierDid },
    verification_url: facts.verificationUrl,
    // A development stage's credential is a specimen, in a claim a verifier reads (the type's display name says it too).
    ...(deps.stage === 'development' ? { ledger_stage: 'development' } : {}),
  };
  const signed = await deps.signer.sign(new TextEncoder().encode(JSON.stringify(payload)), { typ: 'dc+sd-jwt' });
  return `${signed.jws}~${disclosures.map((d) => `${d.encode()}~`).join('')}`;
}
