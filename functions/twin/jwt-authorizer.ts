import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/**
 * An HTTP API JWT authorizer as API Gateway runs it: the token from the identity source (`Bearer ` optional),
 * its signature against the issuer's keys, `iss`, `exp`, `nbf`, and `aud` or, for an access token,
 * `client_id` among the audiences; then the route's scopes. A failure is API Gateway's own 401 or 403.
 */

export interface JwtAuthorizerConfig {
  issuer: string;
  audience: string[];
  /** The issuer's signing keys (its JWKS; the twin hands the local Cognito's). */
  keys: JWTVerifyGetKey;
}

export type Authorization =
  | { ok: true; claims: JWTPayload & Record<string, unknown> }
  | { ok: false; status: 401 | 403; message: 'Unauthorized' | 'Forbidden'; wwwAuthenticate: string };

const unauthorized = (description: string): Authorization => ({
  ok: false,
  status: 401,
  message: 'Unauthorized',
  wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description.replace(/"/g, "'")}"`,
});

export async function authorizeJwt(config: JwtAuthorizerConfig, authorization: string | undefined, routeScopes: readonly string[]): Promise<Authorization> {
  if (!authorization) return { ok: false, status: 401, message: 'Unauthorized', wwwAuthenticate: 'Bearer' };
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  try {
    decodeProtectedHeader(token);
  } catch {
    return unauthorized('the token is not a JWT');
  }
  let claims: JWTPayload & Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, config.keys, { issuer: config.issuer, requiredClaims: ['exp'] }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) return unauthorized('the token has expired');
    if (e instanceof errors.JWTClaimValidationFailed) return unauthorized(`the token's ${e.claim} claim is not valid`);
    return unauthorized('the token could not be verified');
  }
  const audiences = [claims.aud ?? []].flat();
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
  if (!audiences.some((a) => config.audience.includes(a)) && !(clientId && config.audience.includes(clientId))) {
    return unauthorized('the token does not have a valid audience');
  }
  if (routeScopes.length) {
    const granted = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!routeScopes.some((s) => granted.includes(s))) return { ok: false, status: 403, message: 'Forbidden', wwwAuthenticate: 'Bearer error="insufficient_scope"' };
  }
  return { ok: true, claims };
}
