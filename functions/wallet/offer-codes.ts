import { createHash, createHmac, randomUUID } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import type { WalletOfferFacts } from '../../domain/wallet-offer.js';
import type { PublicSigningKey } from '../ports/signer.js';
import type { LedgerDeps } from '../shared/deps.js';

// The ledger's own tokens of the OpenID4VCI flow (pre-authorised codes, PINs, nonces): JWSs of its key, made and
// checked with jose, apart from the @openid4vc libraries so that the credential offer's bundle goes without them.

/** How long a pre-authorised code, a nonce and an access token live. */
export const OFFER_LIFETIME_SECONDS = 600;
export const NONCE_LIFETIME_SECONDS = 300;
export const ACCESS_TOKEN_LIFETIME_SECONDS = 300;

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

const keyOf = async (deps: Pick<LedgerDeps, 'signer'>, kid: string | undefined): Promise<PublicSigningKey | undefined> =>
  (await deps.signer.publicKeys()).find((k) => k.kid === kid);

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
