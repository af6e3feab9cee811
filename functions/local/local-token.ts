import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, errors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { LEDGER_ID_CLAIM, REGION_CLAIM, Role } from '../shared/auth.js';

export const LOCAL_ISSUER = 'certification-ledger-local';
export const LOCAL_AUDIENCE = 'certification-ledger';

type KeyPair = { privateKey: CryptoKey; publicKey: CryptoKey };

/** The local signing key for tokens, kept in the data dir so tokens survive a restart. Created once. */
export async function localTokenKeys(dataDir: string): Promise<KeyPair> {
  const path = join(dataDir, 'token-key.json');
  await mkdir(dataDir, { recursive: true });
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(path, 'utf8')) as JWK;
  } catch {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const fresh = await exportJWK(privateKey);
    try {
      // 'wx': of two processes creating the key at once, one wins and the other reads the winner's key.
      await writeFile(path, JSON.stringify(fresh), { flag: 'wx', mode: 0o600 });
    } catch {
      /* the other process wrote it */
    }
    jwk = JSON.parse(await readFile(path, 'utf8')) as JWK;
  }
  const { d: _, ...publicJwk } = jwk;
  return {
    privateKey: (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256')) as CryptoKey,
    publicKey: (await importJWK({ ...publicJwk, alg: 'ES256' }, 'ES256')) as CryptoKey,
  };
}

export interface LocalAccount {
  /** A DREETS agent's region (`custom:region`). */
  region?: string;
  /** The account's own id; by default one derived from the role and the ledger id, never equal to the ledger id. */
  sub?: string;
  ttlSeconds?: number;
}

/** The account id Cognito would have chosen: stable per (role, ledger id), a UUID like Cognito's, never the ledger id. */
export const localAccountSub = (role: Role, ledgerId: string) => {
  const h = createHash('sha256').update(`account|${role}|${ledgerId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** A token with the claims Cognito puts in an invited account's ID token: groups, `custom:ledger_id`, `custom:region`. */
export async function signLocalToken(keys: KeyPair, role: Role, ledgerId: string, account: LocalAccount = {}): Promise<string> {
  const claims: Record<string, unknown> = { 'cognito:groups': [role], [LEDGER_ID_CLAIM]: ledgerId, token_use: 'id' };
  if (account.region) claims[REGION_CLAIM] = account.region;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(account.sub ?? localAccountSub(role, ledgerId))
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (account.ttlSeconds ?? 12 * 3600))
    .sign(keys.privateKey);
}

/**
 * Checks a bearer token as API Gateway's JWT authorizer would (signature, issuer, audience, expiry against the
 * system clock) and hands over the claims in its shape: list claims flattened to "[a b]".
 */
export async function verifyLocalToken(keys: KeyPair, authorization: string | undefined): Promise<Record<string, unknown> | undefined> {
  const match = /^Bearer\s+([A-Za-z0-9._-]+)$/.exec(authorization ?? '');
  if (!match) return undefined;
  try {
    const { payload } = await jwtVerify(match[1]!, keys.publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['ES256'] });
    const claims: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(payload)) claims[k] = Array.isArray(v) ? `[${v.join(' ')}]` : v;
    return claims;
  } catch {
    return undefined;
  }
}

export const isRole = (value: string): value is Role => Role.safeParse(value).success;

/**
 * Why the local authoriser refused a token, when it looks like one minted by `npm run token` for another data dir:
 * the local issuer and audience, ES256, a signature this data dir's key does not verify (each data dir signs with
 * its own key), or expired. Said by the local server only: API Gateway's authorizer says nothing on AWS.
 */
export async function explainLocalTokenRefusal(keys: KeyPair, authorization: string | undefined): Promise<string | undefined> {
  const match = /^Bearer\s+([A-Za-z0-9._-]+)$/.exec(authorization ?? '');
  if (!match) return undefined;
  try {
    const claims = decodeJwt(match[1]!);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== LOCAL_ISSUER || !audiences.includes(LOCAL_AUDIENCE) || decodeProtectedHeader(match[1]!).alg !== 'ES256') return undefined;
    await jwtVerify(match[1]!, keys.publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['ES256'] });
    return undefined;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return 'this token was signed by another local ledger (each LEDGER_DATA_DIR signs with its own key): mint one with `npm run --silent token -- <role> <ledgerId> [region]` run with the same LEDGER_DATA_DIR as this server';
    }
    if (error instanceof errors.JWTExpired) return 'this token has expired: mint another with `npm run --silent token -- <role> <ledgerId> [region]`';
    return undefined;
  }
}
