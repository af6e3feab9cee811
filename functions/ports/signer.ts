import type { JWK } from 'jose';

/** A public signing key as the JWKS publishes it: the JWK (with `kid`, `alg`, `use`) and its validity window. */
export interface PublicSigningKey {
  kid: string;
  jwk: JWK;
  /** When the key started signing (ISO instant). */
  validFrom?: string;
  /** When it stopped (ISO instant); absent for the current key. Its signatures stay valid: the key stays published. */
  validUntil?: string;
}

export interface SigningHeader {
  typ?: string;
  cty?: string;
  kidPrefix?: string;
}

/** The protected header a signer writes: the caller's members, then its `alg` and its `kid` (after the prefix). */
export const protectedHeader = ({ kidPrefix, ...members }: SigningHeader, kid: string) => ({ ...members, alg: SIGNING_ALGORITHM, kid: `${kidPrefix ?? ''}${kid}` });

export interface SignedPayload {
  /** Compact JWS: base64url(header).base64url(payload).base64url(signature). */
  jws: string;
  kid: string;
}

/**
 * Signs the certificates' credentials (compact JWS, ES256) with the current key, and lists every key ever used
 * with its validity window, so a credential signed under an old key still verifies. AWS: a KMS asymmetric key;
 * locally: keys kept in the data dir; tests: in memory. Every adapter passes test/contract/signer.contract.ts.
 */
export interface Signer {
  /**
   * `header` adds protected header members (`typ`, `cty`); `alg` and `kid` are the signer's. `kidPrefix` goes before
   * the key's thumbprint in the header's `kid` (a DID URL: `did:web:…#`), so a verifier resolves the key from the
   * JWS alone; `SignedPayload.kid` stays the bare thumbprint, as the JWKS names the key.
   */
  sign(payload: Uint8Array, header?: SigningHeader): Promise<SignedPayload>;
  /** Every key, oldest first. */
  publicKeys(): Promise<PublicSigningKey[]>;
  /** A new current key; the previous one's window closes now and it stays published. */
  rotate(): Promise<PublicSigningKey>;
}

export const SIGNING_ALGORITHM = 'ES256';

/**
 * The JWK Set document of /.well-known/jwks.json: each key with its validity window as extra members, under its
 * bare id and, for each `kidPrefixes` (an issuer's DID and `#`), under the DID URL credentials name it by.
 */
export const jwksOf = (keys: readonly PublicSigningKey[], kidPrefixes: readonly string[] = []) => ({
  keys: ['', ...kidPrefixes].flatMap((prefix) =>
    keys.map((k) => ({ ...k.jwk, kid: `${prefix}${k.kid}`, ...(k.validFrom ? { validFrom: k.validFrom } : {}), ...(k.validUntil ? { validUntil: k.validUntil } : {}) })),
  ),
});
