import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/**
 * A fake OpenID provider on loopback, made with jose as FranceConnect v2 and ProConnect answer: discovery under the
 * issuer, a JWKS, a token endpoint that records what it was sent, and a userinfo answered as a JWT signed ES256. The
 * test chooses how the userinfo is signed (`signUserinfo`) and what the endpoints answer.
 */
export interface FakeOidcProvider {
  issuer: string;
  clientId: string;
  /** The key the JWKS publishes, and one it does not. */
  keys: { good: CryptoKey; stranger: CryptoKey };
  tokenRequests: { headers: IncomingMessage['headers']; body: string }[];
  userinfoAuthorizations: (string | undefined)[];
  signUserinfo: () => Promise<string>;
  userinfoStatus: number;
  tokenStatus: number;
  /** A JWT as the provider signs its userinfo: for `clientId`, valid two minutes, unless told otherwise. */
  sign(key: CryptoKey, payload: JWTPayload, options?: { audience?: string; expiresIn?: string | number }): Promise<string>;
  /** Back to answering the good signed claims. */
  reset(): void;
  close(): Promise<void>;
}

export const USERINFO_CLAIMS = { sub: 'fc-sub-1', given_name: 'Camille', family_name: 'Martin', email: 'camille@example.fr', email_verified: true };

export async function startFakeOidcProvider(clientId = 'fc-client'): Promise<FakeOidcProvider> {
  const good = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(good.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const provider: FakeOidcProvider = {
    issuer: '',
    clientId,
    keys: { good: good.privateKey, stranger: stranger.privateKey },
    tokenRequests: [],
    userinfoAuthorizations: [],
    signUserinfo: async () => '',
    userinfoStatus: 200,
    tokenStatus: 200,
    sign: (key, payload, { audience = clientId, expiresIn = '2m' } = {}) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(provider.issuer).setAudience(audience).setIssuedAt().setExpirationTime(expiresIn).sign(key),
    reset() {
      provider.tokenRequests = [];
      provider.userinfoAuthorizations = [];
      provider.userinfoStatus = 200;
      provider.tokenStatus = 200;
      provider.signUserinfo = () => provider.sign(provider.keys.good, USERINFO_CLAIMS);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      const path = new URL(req.url!, provider.issuer).pathname;
      const send = (status: number, type: string, text: string) => res.writeHead(status, { 'content-type': type }).end(text);
      if (path === '/api/v2/.well-known/openid-configuration') {
        const { issuer } = provider;
        return send(
          200,
          'application/json',
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            userinfo_endpoint: `${issuer}/userinfo`,
            jwks_uri: `${issuer}/jwks`,
          }),
        );
      }
      if (path === '/api/v2/jwks') return send(200, 'application/json', JSON.stringify({ keys: [jwk] }));
      if (path === '/api/v2/token') {
        provider.tokenRequests.push({ headers: req.headers, body });
        return provider.tokenStatus === 200
          ? send(200, 'application/json', JSON.stringify({ access_token: 'at', id_token: 'provider.id.token', token_type: 'Bearer' }))
          : send(provider.tokenStatus, 'application/json', '{"error":"invalid_grant"}');
      }
      if (path === '/api/v2/userinfo') {
        provider.userinfoAuthorizations.push(req.headers.authorization);
        return provider.userinfoStatus === 200
          ? send(200, 'application/jwt', await provider.signUserinfo())
          : send(provider.userinfoStatus, 'application/json', '{"error":"invalid_token"}');
      }
      send(404, 'text/plain', 'not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`;
  provider.reset();
  return provider;
}

/** A Lambda function URL request (payload format 2.0), as Cognito's calls reach the relay. */
export const functionUrlRequest = (
  method: string,
  path: string,
  { query = '', headers = {}, body, base64 = false }: { query?: string; headers?: Record<string, string>; body?: string; base64?: boolean } = {},
) => ({
  version: '2.0',
  rawPath: path,
  rawQueryString: query,
  headers,
  ...(body !== undefined ? { body: base64 ? Buffer.from(body).toString('base64') : body } : {}),
  isBase64Encoded: base64,
  requestContext: { http: { method, path } },
});
