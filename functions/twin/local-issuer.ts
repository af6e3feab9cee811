import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A stand-in for the user pool's token signing until cognito-local runs in the twin: an RS256 key kept under
 * the data dir, whose tokens carry the template's issuer and a client id of the pool as audience, so the
 * authorizer checks them exactly as it would check Cognito's.
 */
export class LocalIssuer {
  private constructor(
    private readonly privateJwk: JWK,
    readonly publicJwk: JWK,
  ) {}

  static async open(keyFile: string): Promise<LocalIssuer> {
    if (!existsSync(keyFile)) {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      mkdirSync(dirname(keyFile), { recursive: true });
      try {
        writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256' }), { flag: 'wx', mode: 0o600 });
      } catch {
        /* another process made it first: use theirs */
      }
    }
    const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
    return new LocalIssuer(jwk, { ...publicJwk, use: 'sig' });
  }

  keys(): JWTVerifyGetKey {
    return createLocalJWKSet({ keys: [this.publicJwk] });
  }

  /** An ID token as Cognito issues it: `token_use: id`, `aud` the client, the account's attributes as claims. */
  async mint(issuer: string, clientId: string, claims: Record<string, unknown>, ttlSeconds = 3600): Promise<string> {
    const key = await importJWK(this.privateJwk, 'RS256');
    return new SignJWT({ token_use: 'id', auth_time: Math.floor(Date.now() / 1000), ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: this.privateJwk.kid! })
      .setIssuer(issuer)
      .setAudience(clientId)
      .setSubject(typeof claims.sub === 'string' ? claims.sub : randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(key);
  }
}
