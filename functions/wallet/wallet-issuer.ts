import { createHash, randomBytes } from 'node:crypto';
import { type CallbackContext, clientAuthenticationNone, type Jwk, Oauth2AuthorizationServer, setGlobalConfig, type AuthorizationServerMetadata } from '@openid4vc/oauth2';
import { type CredentialConfigurationSupportedWithFormats, type IssuerMetadataResult, Openid4vciIssuer, Openid4vciVersion } from '@openid4vc/openid4vci';
import { pack } from '@sd-jwt/core';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { compactVerify, importJWK, type JWK } from 'jose';
import type { PublicSigningKey } from '../ports/signer.js';
import type { LedgerDeps } from '../shared/deps.js';
import { SELECTIVELY_DISCLOSABLE, vctOf, type WalletCredentialId } from './credential-types.js';
import { authorizationServerMetadata, credentialConfigurations, credentialIssuerMetadata, walletIssuerUrl } from './issuer-metadata.js';

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

export { authorizationServerMetadata } from './issuer-metadata.js';
export { ACCESS_TOKEN_LIFETIME_SECONDS, NONCE_LIFETIME_SECONDS, OFFER_LIFETIME_SECONDS, TX_CODE_LENGTH } from './offer-codes.js';
export { newNonce, newPreAuthorizedCode, nonceIsValid, offerOfCode, txCodeOf, verifyOwnJws } from './offer-codes.js';

/**
 * The public host, the credential issuer's identifier. OpenID4VCI requires https; the local server has no TLS, so
 * the libraries are told to accept http for a loopback host only (`npm start`, the tests), never elsewhere.
 */
export function issuerUrl(deps: Pick<LedgerDeps, 'publicBaseUrl'>): string {
  const url = walletIssuerUrl(deps);
  if (/^http:\/\/(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(url)) setGlobalConfig({ allowInsecureUrls: true });
  return url;
}

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

/** The credential issuer metadata (/.well-known/openid-credential-issuer) and its authorisation server, as the libraries take them. */
export function issuerMetadata(deps: Pick<LedgerDeps, 'publicBaseUrl' | 'signer' | 'stage'>): IssuerMetadataResult {
  issuerUrl(deps);
  const issuer = new Openid4vciIssuer({ callbacks: walletCallbacks(deps) });
  // The documents the metadata routes publish (issuer-metadata.ts), validated by the library as it reads them.
  const credentialIssuer = issuer.createCredentialIssuerMetadata(credentialIssuerMetadata(deps) as Parameters<typeof issuer.createCredentialIssuerMetadata>[0]);
  const known = credentialConfigurations(deps) as unknown as Record<WalletCredentialId, CredentialConfigurationSupportedWithFormats>;
  return {
    credentialIssuer,
    authorizationServers: [authorizationServerMetadata(deps) as AuthorizationServerMetadata],
    originalDraftVersion: Openid4vciVersion.V1,
    knownCredentialConfigurations: known,
  };
}

export const openid4vciIssuer = (deps: Pick<LedgerDeps, 'signer'>) => new Openid4vciIssuer({ callbacks: walletCallbacks(deps) });
export const authorizationServer = (deps: Pick<LedgerDeps, 'signer'>) => new Oauth2AuthorizationServer({ callbacks: walletCallbacks(deps) });

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
