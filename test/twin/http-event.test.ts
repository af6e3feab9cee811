import { describe, expect, it } from 'vitest';
import { apiGatewayV2Event, flattenClaims, httpReplyOf, matchRoute } from '../../functions/twin/http-event.js';
import type { HttpRoute } from '../../functions/twin/template.js';

const route = (routeKey: string): HttpRoute => {
  const [method, path] = routeKey === '$default' ? [undefined, undefined] : routeKey.split(' ');
  return {
    logicalId: routeKey,
    apiLogicalId: 'Api',
    routeKey,
    method,
    path,
    authorizationType: 'NONE',
    authorizerLogicalId: undefined,
    authorizationScopes: [],
    integrationLogicalId: undefined,
    integrationType: 'AWS_PROXY',
    payloadFormatVersion: '2.0',
    functionLogicalId: 'F',
  };
};
const routes = [
  'GET /sessions/{sessionId}',
  'GET /sessions/open',
  'ANY /sessions/{sessionId}',
  'GET /files/{proxy+}',
  'POST /sessions/{sessionId}/deliberations/{candidateId}/signatures',
].map(route);

describe('claims as API Gateway hands them to a function', () => {
  it('flattens arrays to "[a b]", numbers and booleans to strings, objects to JSON', () => {
    expect(flattenClaims({ sub: 'u1', 'cognito:groups': ['centre', 'juror'], exp: 1764000000, email_verified: true, address: { country: 'FR' } })).toEqual({
      sub: 'u1',
      'cognito:groups': '[centre juror]',
      exp: '1764000000',
      email_verified: 'true',
      address: '{"country":"FR"}',
    });
    expect(flattenClaims({ 'cognito:groups': ['dreets'] })['cognito:groups']).toBe('[dreets]');
  });
});

describe('route matching', () => {
  it('prefers the literal path, then fewer parameters, then the method over ANY', () => {
    expect(matchRoute(routes, 'GET', '/sessions/open')?.route.routeKey).toBe('GET /sessions/open');
    expect(matchRoute(routes, 'GET', '/sessions/s-1')).toEqual({ route: routes[0], pathParameters: { sessionId: 's-1' } });
    expect(matchRoute(routes, 'DELETE', '/sessions/s-1')?.route.routeKey).toBe('ANY /sessions/{sessionId}');
    expect(matchRoute(routes, 'POST', '/sessions/s%201/deliberations/c-2/signatures')?.pathParameters).toEqual({ sessionId: 's 1', candidateId: 'c-2' });
  });

  it('gives a greedy parameter the rest of the path, and nothing when no route matches', () => {
    expect(matchRoute(routes, 'GET', '/files/a/b/c.pdf')?.pathParameters).toEqual({ proxy: 'a/b/c.pdf' });
    expect(matchRoute(routes, 'GET', '/nothing')).toBeUndefined();
    expect(matchRoute([...routes, route('$default')], 'GET', '/nothing')?.route.routeKey).toBe('$default');
  });
});

describe('the payload 2.0 event', () => {
  const match = matchRoute(routes, 'GET', '/sessions/s-1')!;
  const base = { method: 'GET', rawPath: '/sessions/s-1', rawQueryString: 'a=1&a=2&b=x', sourceIp: '10.0.0.1', body: Buffer.alloc(0) };
  const ctx = { apiId: 'abc123defg', accountId: '000000000000', region: 'eu-west-3', now: new Date('2026-11-25T16:00:05Z') };

  it('carries the route, raw path and query, joined multi-values, cookies apart, and API Gateway headers', () => {
    const e = apiGatewayV2Event({ ...base, headers: { 'User-Agent': 'ua', Cookie: 'a=1; b=2', 'X-Multi': ['1', '2'] } }, match, ctx);
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'GET /sessions/{sessionId}',
      rawPath: '/sessions/s-1',
      rawQueryString: 'a=1&a=2&b=x',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { a: '1,2', b: 'x' },
      pathParameters: { sessionId: 's-1' },
      isBase64Encoded: false,
    });
    expect(e.headers).toMatchObject({
      'user-agent': 'ua',
      'x-multi': '1,2',
      host: 'abc123defg.execute-api.eu-west-3.amazonaws.com',
      'x-forwarded-for': '10.0.0.1',
      'x-forwarded-proto': 'https',
    });
    expect(e.headers).not.toHaveProperty('cookie');
    expect(e.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: 'abc123defg',
      stage: '$default',
      time: '25/Nov/2026:16:00:05 +0000',
      timeEpoch: Date.parse('2026-11-25T16:00:05Z'),
      http: { method: 'GET', path: '/sessions/s-1', sourceIp: '10.0.0.1', userAgent: 'ua' },
    });
    expect(e.requestContext).not.toHaveProperty('authorizer');
    expect(e).not.toHaveProperty('body');
  });

  it('puts the flattened claims under requestContext.authorizer.jwt, with the scopes of the token', () => {
    const e = apiGatewayV2Event({ ...base, headers: {} }, match, { ...ctx, claims: { sub: 'u', 'cognito:groups': ['centre'], scope: 'a b' } });
    expect(e.requestContext.authorizer).toEqual({ jwt: { claims: { sub: 'u', 'cognito:groups': '[centre]', scope: 'a b' }, scopes: ['a', 'b'] } });
    expect(apiGatewayV2Event({ ...base, headers: {} }, match, { ...ctx, claims: { sub: 'u' } }).requestContext.authorizer?.jwt.scopes).toBeNull();
  });

  it('passes a JSON body as text and a binary body base64-encoded', () => {
    const json = apiGatewayV2Event({ ...base, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"a":1}') }, match, ctx);
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const pdf = apiGatewayV2Event({ ...base, headers: { 'content-type': 'application/pdf' }, body: Buffer.from([0x25, 0x50, 0xff]) }, match, ctx);
    expect(pdf).toMatchObject({ body: Buffer.from([0x25, 0x50, 0xff]).toString('base64'), isBase64Encoded: true });
  });
});

describe('the reply API Gateway makes of a result', () => {
  it('uses a statusCode result as given, decoding a base64 body and setting cookies', () => {
    const r = httpReplyOf({
      statusCode: 201,
      headers: { 'Content-Type': 'application/pdf' },
      body: Buffer.from('%PDF').toString('base64'),
      isBase64Encoded: true,
      cookies: ['s=1'],
    });
    expect(r).toEqual({ status: 201, headers: { 'content-type': 'application/pdf', 'set-cookie': ['s=1'] }, body: Buffer.from('%PDF') });
  });

  it('answers anything else as a 200 with the result as JSON', () => {
    expect(httpReplyOf({ ok: true })).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"ok":true}') });
  });

  it('answers a malformed statusCode result as API Gateway does: 500 Internal Server Error', () => {
    expect(httpReplyOf({ statusCode: 'two hundred' }).status).toBe(500);
  });
});
