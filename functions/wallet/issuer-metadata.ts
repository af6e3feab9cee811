import type { LedgerDeps } from '../shared/deps.js';
import { withoutTrailingSlash } from '../certificates/certificate-urls.js';
import { claimLabelsOf, displayNameOf, vctOf, WALLET_CREDENTIALS, type WalletCredentialId } from './credential-types.js';

// Apart from wallet-issuer.ts, as credential-types.ts is: the metadata routes and the credential offer only publish
// these documents, and the @openid4vc libraries' classic zod schemas (built at module load, so never dropped) would
// be about 250 KB of their bundles. The token and credential endpoints validate the same documents with the
// libraries (wallet-issuer.ts `issuerMetadata`), and test/functions/wallet-metadata.test.ts holds both equal.

/** OAuth 2.0's grant type of OpenID4VCI's pre-authorised code flow. */
export const PRE_AUTHORIZED_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** The public host: the credential issuer's identifier and its authorisation server's. */
export const walletIssuerUrl = (deps: Pick<LedgerDeps, 'publicBaseUrl'>): string => withoutTrailingSlash(deps.publicBaseUrl);

/** The authorisation server metadata (RFC 8414) of the public host: its token endpoint. */
export function authorizationServerMetadata(deps: Pick<LedgerDeps, 'publicBaseUrl'>) {
  const base = walletIssuerUrl(deps);
  return {
    issuer: base,
    token_endpoint: `${base}/oid4vci/token`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    grant_types_supported: [PRE_AUTHORIZED_CODE_GRANT],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}

/** The credential configurations the ledger offers, one per credential type, as SD-JWT VCs bound to a wallet key. */
export const credentialConfigurations = (deps: Pick<LedgerDeps, 'publicBaseUrl' | 'stage'>) =>
  Object.fromEntries(
    (Object.keys(WALLET_CREDENTIALS) as WalletCredentialId[]).map((id) => [
      id,
      {
        format: 'dc+sd-jwt',
        cryptographic_binding_methods_supported: ['jwk'],
        credential_signing_alg_values_supported: ['ES256'],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
        // The type's metadata (OpenID4VCI 1.0 §12.2.4): how a wallet shows it, and which claims it holds.
        credential_metadata: {
          display: [{ name: displayNameOf(deps, id), locale: 'fr-FR' }],
          claims: claimLabelsOf(deps).map(({ path, label }) => ({ path, display: [{ name: label, locale: 'fr-FR' }] })),
        },
        // Last, where the library's validation puts it: the published document is the same, byte for byte.
        vct: vctOf(deps, id),
      },
    ]),
  ) as unknown as Record<WalletCredentialId, Record<string, unknown>>;

/** The credential issuer metadata (OpenID4VCI 1.0 §12.2), /.well-known/openid-credential-issuer. */
export function credentialIssuerMetadata(deps: Pick<LedgerDeps, 'publicBaseUrl' | 'stage'>) {
  const base = walletIssuerUrl(deps);
  return {
    credential_issuer: base,
    credential_endpoint: `${base}/oid4vci/credential`,
    nonce_endpoint: `${base}/oid4vci/nonce`,
    display: [{ name: 'Registre des titres professionnels', locale: 'fr-FR' }],
    credential_configurations_supported: credentialConfigurations(deps),
  };
}

/**
 * A credential offer by value (OpenID4VCI 1.0 §4.1): `openid-credential-offer://?credential_offer=<JSON>`, for one
 * configuration, with a pre-authorised code and its PIN's shape (`tx_code`), members in the order the libraries
 * write them.
 */
export function credentialOfferUri(
  deps: Pick<LedgerDeps, 'publicBaseUrl'>,
  offer: { configurationId: WalletCredentialId; preAuthorizedCode: string; txCode: { input_mode: 'numeric' | 'text'; length: number; description: string } },
): string {
  const credentialOffer = {
    credential_issuer: walletIssuerUrl(deps),
    credential_configuration_ids: [offer.configurationId],
    grants: { [PRE_AUTHORIZED_CODE_GRANT]: { 'pre-authorized_code': offer.preAuthorizedCode, tx_code: offer.txCode } },
  };
  return `openid-credential-offer://?${new URLSearchParams({ credential_offer: JSON.stringify(credentialOffer) })}`;
}
