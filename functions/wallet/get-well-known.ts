import * as z from '../../events/zod.js';
import { jwksOf } from '../ports/signer.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { authorizationServerMetadata, credentialIssuerMetadata, walletIssuerUrl } from './issuer-metadata.js';

/**
 * The wallet-facing metadata of the public host, one module (one function in AWS) for the three documents:
 * `openid-credential-issuer` (OpenID4VCI 1.0 §12.2), `oauth-authorization-server` (RFC 8414: its token endpoint)
 * and `jwt-vc-issuer` (SD-JWT VC: the keys that sign the SD-JWT VCs, whose `iss` is the host).
 */
export const route = defineRoute({
  summary: 'Wallet metadata: the OpenID4VCI credential issuer metadata, its OAuth authorisation server metadata, and the SD-JWT VC issuer keys (jwt-vc-issuer)',
  params: z.object({ document: z.enum(['openid-credential-issuer', 'oauth-authorization-server', 'jwt-vc-issuer']) }),
  response: { status: 200, schema: z.record(z.string(), z.unknown()) },
  async handle({ params }, deps) {
    const body =
      params.document === 'openid-credential-issuer'
        ? credentialIssuerMetadata(deps)
        : params.document === 'oauth-authorization-server'
          ? authorizationServerMetadata(deps)
          : { issuer: walletIssuerUrl(deps), jwks: jwksOf(await deps.signer.publicKeys()) };
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' }, body: JSON.stringify(body) };
  },
});

export const handler = lambdaHandler('wallet/get-well-known', route);
