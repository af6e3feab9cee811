import { Oauth2AuthorizationServer, preAuthorizedCodeGrantIdentifier, setGlobalConfig, zAuthorizationServerMetadata } from '@openid4vc/oauth2';
import { Openid4vciClient, Openid4vciIssuer } from '@openid4vc/openid4vci';
import { afterEach, describe, expect, it } from 'vitest';
import { configurationIdOf } from '../../functions/wallet/credential-types.js';
import { authorizationServerMetadata, credentialIssuerMetadata, credentialOfferUri, PRE_AUTHORIZED_CODE_GRANT } from '../../functions/wallet/issuer-metadata.js';
import { issuerMetadata, walletCallbacks } from '../../functions/wallet/wallet-issuer.js';
import { memoryDeps } from '../support/memory-deps.js';

// The metadata routes and the credential offer publish the OpenID4VCI documents without the @openid4vc libraries
// (issuer-metadata.ts, for their bundles' sake); the token and credential endpoints read them with the libraries.
// These hold the two equal: what the libraries would have made, they make, for an https and a loopback host.
afterEach(() => setGlobalConfig({ allowInsecureUrls: false }));

describe.each(['https://registre.example', 'http://localhost:3000'])('the wallet documents of %s without the libraries', (publicBaseUrl) => {
  const depsOf = async () => ({ ...(await memoryDeps()).deps, publicBaseUrl });

  it('the credential issuer metadata is what the library validates and returns, member for member', async () => {
    const deps = await depsOf();
    expect(credentialIssuerMetadata(deps)).toStrictEqual(issuerMetadata(deps).credentialIssuer);
    expect(JSON.stringify(credentialIssuerMetadata(deps))).toBe(JSON.stringify(issuerMetadata(deps).credentialIssuer));
  });

  it('the authorisation server metadata is valid RFC 8414 metadata for the library', async () => {
    const deps = await depsOf();
    if (publicBaseUrl.startsWith('http:')) setGlobalConfig({ allowInsecureUrls: true });
    expect(zAuthorizationServerMetadata.parse(authorizationServerMetadata(deps))).toEqual(authorizationServerMetadata(deps));
    expect(PRE_AUTHORIZED_CODE_GRANT).toBe(preAuthorizedCodeGrantIdentifier);
    expect(new Oauth2AuthorizationServer({ callbacks: walletCallbacks(deps) })).toBeDefined();
  });

  it('the credential offer is the very URI the library makes, and a wallet reads it back', async () => {
    const deps = await depsOf();
    const txCode = { input_mode: 'numeric', length: 6, description: 'Code affiché à côté du QR code' } as const;
    const configurationId = configurationIdOf('ccp');
    const ours = credentialOfferUri(deps, { configurationId, preAuthorizedCode: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln', txCode });
    const { credentialOffer } = await new Openid4vciIssuer({ callbacks: walletCallbacks(deps) }).createCredentialOffer({
      issuerMetadata: issuerMetadata(deps),
      credentialConfigurationIds: [configurationId],
      grants: { [preAuthorizedCodeGrantIdentifier]: { 'pre-authorized_code': 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln', tx_code: txCode } },
    });
    expect(ours).toBe(credentialOffer);
    const resolved = await new Openid4vciClient({ callbacks: { ...walletCallbacks(deps), fetch } }).resolveCredentialOffer(ours);
    expect(resolved.credential_issuer).toBe(publicBaseUrl);
    expect(resolved.credential_configuration_ids).toEqual([configurationId]);
    expect(resolved.grants?.[preAuthorizedCodeGrantIdentifier]).toMatchObject({ 'pre-authorized_code': 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln', tx_code: txCode });
  });
});
