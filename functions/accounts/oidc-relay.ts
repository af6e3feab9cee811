import { Logger } from '@aws-lambda-powertools/logger';
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as z from '../../events/zod.js';
import { FEDERATED_PROVIDERS, type FederatedProvider } from './federated-sign-in.js';

/**
 * Cognito's user pool as relying party of FranceConnect v2 and ProConnect, through this relay (README, "Sign-in"):
 * Cognito has no setting for extra authorisation parameters (FranceConnect v2 requires `acr_values`) and reads the
 * userinfo answer as JSON (both providers answer a signed JWT). The provider's ProviderDetails point `authorize_url`,
 * `token_url` and `attributes_url` at `/<provider>/authorize|token|userinfo` here; the id_token stays the provider's,
 * verified by Cognito against the provider's own JWKS (`jwks_uri`), with the provider's issuer.
 */

/** What the stack gives the relay (OIDC_RELAY_PROVIDERS): no secret, the client secret stays in Cognito. */
export const RelayProvider = z.object({
  issuer: z.url(),
  clientId: z.string().check(z.minLength(1)),
  /** Added to the authorisation request when Cognito's has none. */
  acrValues: z.optional(z.string().check(z.minLength(1))),
});
export type RelayProvider = z.infer<typeof RelayProvider>;
export const RelayProviders = z.partialRecord(z.enum(Object.keys(FEDERATED_PROVIDERS) as [FederatedProvider, ...FederatedProvider[]]), RelayProvider);
export type RelayProviders = z.infer<typeof RelayProviders>;

/** The provider's discovery document, the four endpoints the relay uses. */
const Discovery = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  userinfo_endpoint: z.url(),
  jwks_uri: z.url(),
});
type Discovery = z.infer<typeof Discovery>;

/** A Lambda function URL request (payload format 2.0), the fields the relay reads. */
const FunctionUrlRequest = z.looseObject({
  rawPath: z.string(),
  rawQueryString: z._default(z.string(), ''),
  headers: z._default(z.record(z.string(), z.string()), {}),
  body: z.optional(z.string()),
  isBase64Encoded: z._default(z.boolean(), false),
  requestContext: z.looseObject({ http: z.looseObject({ method: z.string() }) }),
});

/** What Cognito sends the authorisation endpoint; anything else it sends passes unchanged. */
const AuthorizeQuery = z.looseObject({
  response_type: z.literal('code'),
  client_id: z.string().check(z.minLength(1)),
  redirect_uri: z.url(),
  scope: z.string().check(z.minLength(1)),
  state: z.string().check(z.minLength(1)),
});

const TokenRequest = z.looseObject({
  grant_type: z.enum(['authorization_code', 'refresh_token']),
  client_id: z.optional(z.string()),
});

/** The claims Cognito maps: at least the subject it names the federated user after. */
const UserInfoClaims = z.looseObject({ sub: z.string().check(z.minLength(1)) });

export interface RelayResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

type OAuthError = 'invalid_request' | 'invalid_client' | 'invalid_token' | 'server_error' | 'temporarily_unavailable';

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): RelayResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});
// RFC 6749 §5.2 / RFC 6750 §3: an OAuth error as JSON; the userinfo's also in WWW-Authenticate.
const oauthError = (statusCode: number, error: OAuthError, description: string, headers: Record<string, string> = {}) =>
  json(statusCode, { error, error_description: description }, headers);

export interface RelayDependencies {
  providers: RelayProviders;
  fetch?: typeof fetch;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Seconds of clock skew allowed on the userinfo JWT's exp and nbf. */
  clockToleranceSeconds?: number;
}

/**
 * The relay's handler. Logs say which provider, which endpoint and what came of it; never a code, token, claim or
 * query (they identify a person or grant access).
 */
export function oidcRelay(dependencies: RelayDependencies) {
  const doFetch = dependencies.fetch ?? fetch;
  const { logger } = dependencies;
  // Per instance: the discovery document and the key set (jose refetches the keys on an unknown kid, at most every 30 s).
  const discovered = new Map<FederatedProvider, Promise<{ discovery: Discovery; keys: JWTVerifyGetKey }>>();

  function discover(name: FederatedProvider, provider: RelayProvider) {
    let found = discovered.get(name);
    if (!found) {
      found = (async () => {
        const response = await doFetch(`${provider.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
        if (!response.ok) throw new Error(`discovery answered ${response.status}`);
        const discovery = Discovery.parse(await response.json());
        // A document that names another issuer is not this provider's (OpenID Connect Discovery 1.0, §4.3).
        if (discovery.issuer !== provider.issuer) throw new Error('discovery names another issuer');
        return { discovery, keys: createRemoteJWKSet(new URL(discovery.jwks_uri), { [customFetch]: doFetch }) };
      })();
      discovered.set(name, found);
      // A failed discovery is tried again on the next request rather than kept.
      found.catch(() => discovered.delete(name));
    }
    return found;
  }

  async function authorize(name: FederatedProvider, provider: RelayProvider, discovery: Discovery, rawQuery: string): Promise<RelayResponse> {
    const params = new URLSearchParams(rawQuery);
    const query = AuthorizeQuery.safeParse(Object.fromEntries(params));
    if (!query.success) return oauthError(400, 'invalid_request', `authorization request: ${query.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    // Only the pool's own client goes through: the relay is no open door to the provider for other clients.
    if (query.data.client_id !== provider.clientId) return oauthError(400, 'invalid_client', 'unknown client_id');
    const target = new URL(discovery.authorization_endpoint);
    for (const [key, value] of params) target.searchParams.append(key, value);
    if (provider.acrValues && !params.has('acr_values')) target.searchParams.set('acr_values', provider.acrValues);
    logger?.info('authorization relayed', { provider: name, acrValues: target.searchParams.get('acr_values') ?? undefined });
    return { statusCode: 302, headers: { location: target.href, 'cache-control': 'no-store' }, body: '' };
  }

  async function token(name: FederatedProvider, provider: RelayProvider, discovery: Discovery, headers: Record<string, string>, body: string): Promise<RelayResponse> {
    if (!/^application\/x-www-form-urlencoded\b/i.test(headers['content-type'] ?? '')) return oauthError(400, 'invalid_request', 'token request must be form-encoded');
    const form = TokenRequest.safeParse(Object.fromEntries(new URLSearchParams(body)));
    if (!form.success) return oauthError(400, 'invalid_request', 'token request: unsupported or missing grant_type');
    if (form.data.client_id !== undefined && form.data.client_id !== provider.clientId) return oauthError(400, 'invalid_client', 'unknown client_id');
    // The request as Cognito sent it (its client authentication, in the body or the Authorization header, included).
    const forwarded: Record<string, string> = { 'content-type': headers['content-type']!, accept: 'application/json' };
    if (headers.authorization) forwarded.authorization = headers.authorization;
    const response = await doFetch(discovery.token_endpoint, { method: 'POST', headers: forwarded, body, signal: AbortSignal.timeout(8000) });
    const text = await response.text();
    logger?.info('token relayed', { provider: name, status: response.status });
    if (response.status >= 500) return oauthError(502, 'temporarily_unavailable', `${name} token endpoint answered ${response.status}`);
    return { statusCode: response.status, headers: { 'content-type': response.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' }, body: text };
  }

  async function userinfo(name: FederatedProvider, provider: RelayProvider, discovery: Discovery, keys: JWTVerifyGetKey, headers: Record<string, string>): Promise<RelayResponse> {
    const authorization = headers.authorization ?? '';
    if (!/^Bearer \S+$/i.test(authorization)) return oauthError(401, 'invalid_token', 'a bearer access token is required', { 'www-authenticate': 'Bearer error="invalid_token"' });
    const response = await doFetch(discovery.userinfo_endpoint, { headers: { authorization, accept: 'application/jwt' }, signal: AbortSignal.timeout(8000) });
    const text = await response.text();
    if (response.status >= 500) return oauthError(502, 'temporarily_unavailable', `${name} userinfo answered ${response.status}`);
    if (!response.ok) {
      logger?.warn('userinfo refused by the provider', { provider: name, status: response.status });
      return oauthError(response.status === 403 ? 403 : 401, 'invalid_token', `${name} refused the access token`, {
        'www-authenticate': response.headers.get('www-authenticate') ?? 'Bearer error="invalid_token"',
      });
    }
    // Signed by the provider, for this client: an unsigned answer is refused like a forged one.
    try {
      const { payload } = await jwtVerify(text.trim(), keys, {
        issuer: provider.issuer,
        audience: provider.clientId,
        clockTolerance: dependencies.clockToleranceSeconds ?? 30,
      });
      const claims = UserInfoClaims.parse(payload);
      logger?.info('userinfo verified', { provider: name });
      return json(200, claims);
    } catch (error) {
      const reason = error instanceof joseErrors.JOSEError ? error.code : error instanceof z.$ZodError ? 'ERR_CLAIMS' : 'ERR_UNREADABLE';
      logger?.warn('userinfo rejected', { provider: name, reason });
      return oauthError(401, 'invalid_token', `${name} userinfo could not be verified (${reason})`, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
  }

  return async function relay(raw: unknown): Promise<RelayResponse> {
    const request = FunctionUrlRequest.safeParse(raw);
    if (!request.success) return oauthError(400, 'invalid_request', 'not a function URL request');
    const { rawPath, rawQueryString, headers, isBase64Encoded } = request.data;
    const method = request.data.requestContext.http.method.toUpperCase();
    const [, providerName, endpoint, ...rest] = rawPath.split('/');
    const name = providerName as FederatedProvider;
    const provider = rest.length === 0 && Object.hasOwn(dependencies.providers, name) ? dependencies.providers[name] : undefined;
    const allowed = { authorize: 'GET', token: 'POST', userinfo: 'GET' } as Record<string, string>;
    if (!provider || !endpoint || !allowed[endpoint]) return json(404, { error: 'invalid_request', error_description: 'no such endpoint' });
    if (allowed[endpoint] !== method) return oauthError(405, 'invalid_request', `${endpoint} takes ${allowed[endpoint]}`, { allow: allowed[endpoint]! });
    let found: { discovery: Discovery; keys: JWTVerifyGetKey };
    try {
      found = await discover(name, provider);
    } catch (error) {
      logger?.warn('provider discovery failed', { provider: name, reason: error instanceof Error ? error.message : 'unknown' });
      return oauthError(502, 'temporarily_unavailable', `${name} discovery failed`);
    }
    try {
      if (endpoint === 'authorize') return await authorize(name, provider, found.discovery, rawQueryString);
      if (endpoint === 'token') {
        const body = request.data.body === undefined ? '' : isBase64Encoded ? Buffer.from(request.data.body, 'base64').toString('utf8') : request.data.body;
        return await token(name, provider, found.discovery, headers, body);
      }
      return await userinfo(name, provider, found.discovery, found.keys, headers);
    } catch (error) {
      // The provider unreachable or too slow: the relay's own failure, said as OAuth does.
      logger?.warn('provider unreachable', { provider: name, endpoint, reason: error instanceof Error ? error.name : 'unknown' });
      return oauthError(502, 'temporarily_unavailable', `${name} did not answer`);
    }
  };
}

let relay: ReturnType<typeof oidcRelay> | undefined;
/** The function URL's handler: the providers from OIDC_RELAY_PROVIDERS, read at the first request. */
export const handler = async (event: unknown) => {
  relay ??= oidcRelay({
    providers: RelayProviders.parse(JSON.parse(process.env.OIDC_RELAY_PROVIDERS ?? '{}')),
    logger: new Logger({ serviceName: 'certification-ledger' }),
  });
  return relay(event);
};
