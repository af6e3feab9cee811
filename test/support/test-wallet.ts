import { createHash, randomBytes } from 'node:crypto';
import { type CallbackContext, clientAuthenticationNone, type Jwk, setGlobalConfig } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

/**
 * A wallet as the European Digital Identity Wallet works, built from the OpenWallet Foundation's OpenID4VCI client
 * (@openid4vc/openid4vci): its own ES256 key, the pre-authorised code flow. Nothing of the ledger's code.
 */
export async function testWallet(walletFetch: typeof fetch = fetch) {
  // The local server and the twin have no TLS: the wallet accepts their http issuer as a wallet's developer mode
  // would. Its own setting, not one the ledger's code made in this process (the credential offer is made without
  // the libraries).
  setGlobalConfig({ allowInsecureUrls: true });
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = (await exportJWK(publicKey)) as Jwk;
  const callbacks: Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> = {
    fetch: walletFetch,
    hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    generateRandom: (bytes) => randomBytes(bytes),
    clientAuthentication: clientAuthenticationNone({ clientId: 'test-wallet' }),
    signJwt: async (_signer, { header, payload }) => ({ jwt: await new SignJWT(payload).setProtectedHeader(header).sign(privateKey), signerJwk: publicJwk }),
  };
  return { client: new Openid4vciClient({ callbacks }), publicJwk, privateJwk: (await exportJWK(privateKey)) as JWK };
}

/**
 * What a wallet does with an offer (`openid-credential-offer://…`): metadata, token (with the PIN the holder
 * types, when the offer asks for one: `tx_code`), nonce, proof, credential.
 */
export async function acceptOffer(offerUri: string, txCode: string | undefined, walletFetch: typeof fetch = fetch) {
  const wallet = await testWallet(walletFetch);
  const offer = await wallet.client.resolveCredentialOffer(offerUri);
  const issuerMetadata = await wallet.client.resolveIssuerMetadata(offer.credential_issuer);
  const { accessTokenResponse } = await wallet.client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer: offer,
    issuerMetadata,
    ...(txCode === undefined ? {} : { txCode }),
  });
  const { c_nonce } = await wallet.client.requestNonce({ issuerMetadata });
  const credentialConfigurationId = offer.credential_configuration_ids[0]!;
  const { jwt } = await wallet.client.createCredentialRequestJwtProof({
    credentialConfigurationId,
    issuerMetadata,
    signer: { method: 'jwk', alg: 'ES256', publicJwk: wallet.publicJwk },
    nonce: c_nonce,
  });
  const { credentialResponse } = await wallet.client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId,
    proofs: { jwt: [jwt] },
  });
  const credentials = credentialResponse.credentials as { credential: string }[];
  return { wallet, offer, issuerMetadata, sdJwt: credentials[0]!.credential, credentialConfigurationId };
}
