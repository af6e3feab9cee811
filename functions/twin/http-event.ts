import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { HttpRoute } from './template.js';

/**
 * What API Gateway (HTTP API, payload format 2.0) hands a Lambda integration, and how it reads the answer.
 * The claims of a JWT authorizer arrive as strings: numbers and booleans printed, arrays as `[a b c]`
 * (space-separated in brackets, so `cognito:groups` of two groups is "[centre juror]"), objects as JSON.
 */

export function flattenClaim(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(flattenClaim).join(' ')}]`;
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const flattenClaims = (claims: Record<string, unknown>): Record<string, string> => Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, flattenClaim(v)]));

export interface RouteMatch {
  route: HttpRoute;
  pathParameters: Record<string, string>;
}

const segmentsOf = (path: string) => path.split('/').filter((s) => s !== '');

/** Lexicographic order of two scores: lower is more specific. */
const before = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
};

/**
 * The route API Gateway would pick: an exact path first, then the one with the fewest parameters, a greedy
 * `{proxy+}` last; a method's own route before `ANY`; `$default` when nothing else matches.
 */
export function matchRoute(routes: readonly HttpRoute[], method: string, rawPath: string): RouteMatch | undefined {
  const path = segmentsOf(rawPath);
  let best: { match: RouteMatch; score: number[] } | undefined;
  for (const route of routes) {
    if (!route.path || (route.method !== method && route.method !== 'ANY')) continue;
    const pattern = segmentsOf(route.path);
    const params: Record<string, string> = {};
    let ok = true;
    let variables = 0;
    let greedy = 0;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i]!;
      const greedyName = /^\{(.+)\+\}$/.exec(p)?.[1];
      if (greedyName) {
        if (i !== pattern.length - 1 || path.length <= i) ok = false;
        else params[greedyName] = path.slice(i).map(decodeURIComponent).join('/');
        greedy = 1;
        break;
      }
      const name = /^\{(.+)\}$/.exec(p)?.[1];
      if (i >= path.length) ok = false;
      else if (name) {
        params[name] = decodeURIComponent(path[i]!);
        variables++;
      } else if (p !== path[i]) ok = false;
    }
    if (!ok || (!greedy && pattern.length !== path.length)) continue;
    const score = [greedy, variables, route.method === 'ANY' ? 1 : 0];
    if (!best || before(score, best.score)) best = { match: { route, pathParameters: params }, score };
  }
  if (best) return best.match;
  const fallback = routes.find((r) => r.routeKey === '$default');
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}

const TEXT = /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript|x-www-form-urlencoded))/i;

export interface IncomingRequest {
  method: string;
  /** The path as received, without the query string. */
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
}

export interface EventContext {
  apiId: string;
  accountId: string;
  region: string;
  /** The verified token's claims (a JWT route), raw as in the token. */
  claims?: Record<string, unknown> | undefined;
  now?: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const clf = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

export function apiGatewayV2Event(request: IncomingRequest, match: RouteMatch, context: EventContext) {
  const now = context.now ?? new Date();
  const domainName = `${context.apiId}.execute-api.${context.region}.amazonaws.com`;
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    // Payload 2.0 moves cookies out of the headers into their own list.
    if (key === 'cookie')
      cookies = [value]
        .flat()
        .flatMap((c) => c.split(';'))
        .map((c) => c.trim())
        .filter(Boolean);
    else headers[key] = [value].flat().join(',');
  }
  headers.host = domainName;
  headers['x-forwarded-for'] = request.sourceIp;
  headers['x-forwarded-proto'] = 'https';
  headers['x-forwarded-port'] = '443';
  headers['x-amzn-trace-id'] = `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)}`;
  const query = new URLSearchParams(request.rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');
  const contentType = headers['content-type'] ?? '';
  const isBase64Encoded = request.body.length > 0 && !TEXT.test(contentType);
  const claims = context.claims;
  const scope = typeof claims?.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : null;
  return {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(request.rawQueryString ? { queryStringParameters } : {}),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      ...(claims ? { authorizer: { jwt: { claims: flattenClaims(claims), scopes: scope } } } : {}),
      domainName,
      domainPrefix: context.apiId,
      http: { method: request.method, path: request.rawPath, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: match.route.routeKey,
      stage: '$default',
      time: clf(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length ? { body: isBase64Encoded ? request.body.toString('base64') : request.body.toString('utf8') } : {}),
    ...(Object.keys(match.pathParameters).length ? { pathParameters: match.pathParameters } : {}),
    isBase64Encoded,
  };
}

const structuredResponse = z.object({
  statusCode: z.number().int(),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  multiValueHeaders: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()]))).optional(),
  cookies: z.array(z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * A function's result as API Gateway answers it (payload 2.0): a `statusCode` object as given; anything else
 * is a 200 with the result as JSON.
 */
export function httpReplyOf(result: unknown): HttpReply {
  const parsed = result && typeof result === 'object' && 'statusCode' in result ? structuredResponse.safeParse(result) : undefined;
  if (!parsed) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  if (!parsed.success) return { status: 500, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"message":"Internal Server Error"}') };
  const r = parsed.data;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) headers[k.toLowerCase()] = v.map(String);
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (r.cookies?.length) headers['set-cookie'] = r.cookies;
  const body = r.body === undefined ? Buffer.alloc(0) : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : Buffer.from(r.body);
  return { status: r.statusCode, headers, body };
}

/** API Gateway's answer when the integration fails (error, timeout, malformed result). */
export const integrationFailure = (): HttpReply => ({ status: 500, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"message":"Internal Server Error"}') });
