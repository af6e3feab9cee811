import type { IncomingHttpHeaders } from 'node:http';
import type { HttpReply } from './http-event.js';
import type { HttpApiCors } from './template.js';

/**
 * API Gateway's CORS for an HTTP API, from the template's CorsConfiguration (AWS docs, "Configure CORS for HTTP APIs
 * in API Gateway"): with a configuration, API Gateway answers every preflight itself (OPTIONS with `origin` and
 * `access-control-request-method`), whether or not an OPTIONS route exists and before any authorizer; on other
 * requests it ignores the CORS headers the integration returns and adds the configured ones when the request
 * carries an `origin`. What it answers a preflight it does not allow is not documented: the twin answers it
 * without CORS headers, so the browser refuses it, which is what a client sees either way.
 */

const header = (headers: IncomingHttpHeaders, name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** `*` any origin; `https://*` any origin of that scheme; otherwise the origin itself, case aside. */
export function originAllowed(cors: HttpApiCors, origin: string): boolean {
  return cors.allowOrigins.some((allowed) => {
    if (allowed === '*') return true;
    if (allowed.endsWith('://*')) return origin.toLowerCase().startsWith(allowed.slice(0, -1).toLowerCase());
    return allowed.toLowerCase() === origin.toLowerCase();
  });
}

const allowOriginValue = (cors: HttpApiCors, origin: string) => (cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin);

/** The answer to a preflight, or undefined when the request is not one (it then goes to the routes). */
export function corsPreflightReply(cors: HttpApiCors | undefined, method: string, headers: IncomingHttpHeaders): HttpReply | undefined {
  const origin = header(headers, 'origin');
  const requestedMethod = header(headers, 'access-control-request-method');
  if (!cors || method !== 'OPTIONS' || !origin || !requestedMethod) return undefined;
  const reply: HttpReply = { status: 204, headers: {}, body: Buffer.alloc(0) };
  const methodAllowed = cors.allowMethods.some((m) => m === '*' || m.toUpperCase() === requestedMethod.toUpperCase());
  const requestedHeaders = (header(headers, 'access-control-request-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const allowedHeaders = cors.allowHeaders.map((h) => h.toLowerCase());
  const headersAllowed = allowedHeaders.includes('*') || requestedHeaders.every((h) => allowedHeaders.includes(h));
  if (!originAllowed(cors, origin) || !methodAllowed || !headersAllowed) return reply;
  reply.headers['access-control-allow-origin'] = allowOriginValue(cors, origin);
  reply.headers['access-control-allow-methods'] = cors.allowMethods.join(',');
  if (cors.allowHeaders.length) reply.headers['access-control-allow-headers'] = cors.allowHeaders.join(',');
  if (cors.maxAge !== undefined) reply.headers['access-control-max-age'] = String(cors.maxAge);
  if (cors.allowCredentials) reply.headers['access-control-allow-credentials'] = 'true';
  return reply;
}

/** An integration's reply as API Gateway sends it with a CORS configuration: its own CORS headers replaced by the configured ones. */
export function withApiCors(cors: HttpApiCors | undefined, headers: IncomingHttpHeaders, reply: HttpReply): HttpReply {
  if (!cors) return reply;
  const kept = Object.fromEntries(Object.entries(reply.headers).filter(([k]) => !k.toLowerCase().startsWith('access-control-')));
  const origin = header(headers, 'origin');
  if (origin && originAllowed(cors, origin)) {
    kept['access-control-allow-origin'] = allowOriginValue(cors, origin);
    if (cors.exposeHeaders.length) kept['access-control-expose-headers'] = cors.exposeHeaders.join(',');
    if (cors.allowCredentials) kept['access-control-allow-credentials'] = 'true';
  }
  return { ...reply, headers: kept };
}
