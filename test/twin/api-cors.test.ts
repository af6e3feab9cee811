import { describe, expect, it } from 'vitest';
import { corsPreflightReply, originAllowed, withApiCors } from '../../functions/twin/api-cors.js';
import type { HttpApiCors } from '../../functions/twin/template.js';

/** API Gateway's CORS rules on configurations other than the stack's (which test/twin/http-api.test.ts reads from the template). */
const config = (over: Partial<HttpApiCors> = {}): HttpApiCors => ({
  allowOrigins: ['https://employeur.example', 'http://*'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['authorization', 'content-type'],
  exposeHeaders: ['x-request-id'],
  allowCredentials: true,
  maxAge: 300,
  ...over,
});
const reply = { status: 200, headers: { 'content-type': 'application/json', 'access-control-allow-origin': 'https://from-the-function.example' }, body: Buffer.from('{}') };

describe('API Gateway CORS as the twin applies a CorsConfiguration', () => {
  it('matches an origin exactly (case aside), by scheme with `scheme://*`, or any with `*`', () => {
    expect(originAllowed(config(), 'https://EMPLOYEUR.example')).toBe(true);
    expect(originAllowed(config(), 'http://anything.example:8080')).toBe(true);
    expect(originAllowed(config(), 'https://other.example')).toBe(false);
    expect(originAllowed(config({ allowOrigins: ['*'] }), 'https://other.example')).toBe(true);
  });

  it('echoes the origin when credentials are allowed, and says so; a preflight of a method or header not configured gets no CORS headers', () => {
    const ok = corsPreflightReply(config(), 'OPTIONS', {
      origin: 'https://employeur.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'Authorization',
    });
    expect(ok).toMatchObject({
      status: 204,
      headers: {
        'access-control-allow-origin': 'https://employeur.example',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers': 'authorization,content-type',
        'access-control-max-age': '300',
      },
    });
    expect(corsPreflightReply(config(), 'OPTIONS', { origin: 'https://employeur.example', 'access-control-request-method': 'DELETE' })?.headers).toEqual({});
    expect(
      corsPreflightReply(config(), 'OPTIONS', { origin: 'https://employeur.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-custom' })
        ?.headers,
    ).toEqual({});
    expect(corsPreflightReply(config(), 'OPTIONS', { origin: 'https://other.example', 'access-control-request-method': 'GET' })?.headers).toEqual({});
  });

  it('leaves what is not a preflight to the routes, and everything to them without a configuration', () => {
    expect(corsPreflightReply(config(), 'OPTIONS', { origin: 'https://employeur.example' })).toBeUndefined();
    expect(corsPreflightReply(config(), 'GET', { origin: 'https://employeur.example', 'access-control-request-method': 'GET' })).toBeUndefined();
    expect(corsPreflightReply(undefined, 'OPTIONS', { origin: 'https://employeur.example', 'access-control-request-method': 'GET' })).toBeUndefined();
    expect(withApiCors(undefined, { origin: 'https://employeur.example' }, reply)).toBe(reply);
  });

  it('replaces the function’s CORS headers with the configured ones, added only for a request with an allowed origin', () => {
    expect(withApiCors(config(), { origin: 'https://employeur.example' }, reply).headers).toEqual({
      'content-type': 'application/json',
      'access-control-allow-origin': 'https://employeur.example',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id',
    });
    expect(withApiCors(config(), {}, reply).headers).toEqual({ 'content-type': 'application/json' });
    expect(withApiCors(config(), { origin: 'https://other.example' }, reply).headers).toEqual({ 'content-type': 'application/json' });
  });
});
