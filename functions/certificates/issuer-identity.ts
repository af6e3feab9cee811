import { withoutTrailingSlash } from './certificate-urls.js';

/**
 * Who signs a credential, as a verifier finds it from the credential alone: one issuer per certifier, a did:web
 * on the public host (DID Method Web, W3C CCG): `did:web:<host>[:<path>]:certifiers:<certifier>`, its document at
 * `<public base>/certifiers/<certifier>/did.json`. The host's port is percent-encoded (`localhost%3A3000`).
 */

/** A certifier's name as a path segment: lower case, no accents, words joined by hyphens. */
export function certifierSlug(certifier: string): string {
  return (
    certifier
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100)
      .replace(/-+$/, '') || 'certificateur'
  );
}

/** The did:web of the public host itself (its document at /.well-known/did.json). */
export function hostDid(publicBaseUrl: string): string {
  const url = new URL(withoutTrailingSlash(publicBaseUrl));
  const path = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', encodeURIComponent(url.host), ...path].join(':');
}

/** The issuer of a certifier's credentials and status lists. */
export const issuerDid = (publicBaseUrl: string, certifier: string) => `${hostDid(publicBaseUrl)}:certifiers:${certifierSlug(certifier)}`;

/**
 * The SD-JWT VC `iss` of a certifier's wallet credentials: an https URL on the public host, the form the SD-JWT VC
 * issuer metadata needs (its keys at `<origin>/.well-known/jwt-vc-issuer<path of iss>`), which the EU wallets
 * resolve; one per certifier, as the did:web of its W3C credentials.
 */
export const sdJwtIssuer = (publicBaseUrl: string, certifier: string) => `${withoutTrailingSlash(publicBaseUrl)}/certifiers/${certifierSlug(certifier)}`;

/** Where a verifier finds an SD-JWT VC issuer's keys (SD-JWT VC, JWT VC Issuer Metadata): `/.well-known/jwt-vc-issuer` inserted after the host. */
export function jwtVcIssuerMetadataUrl(iss: string): string {
  const url = new URL(iss);
  return `${url.origin}/.well-known/jwt-vc-issuer${url.pathname === '/' ? '' : url.pathname}`;
}

/** The key's DID URL, the JWS header's `kid`: the DID, `#`, the key's JWK thumbprint. */
export const keyDidUrl = (did: string, thumbprint: string) => `${did}#${thumbprint}`;

/** A certifier's revocation status list credential (GET /status-lists/{listId}). */
export const statusListUrl = (publicBaseUrl: string, listId: string) => `${withoutTrailingSlash(publicBaseUrl)}/status-lists/${listId}`;

/** Status lists are per issuer: `<certifier slug>-<serial>`. */
export const statusListId = (certifier: string, serial: number) => `${certifierSlug(certifier)}-${serial}`;
