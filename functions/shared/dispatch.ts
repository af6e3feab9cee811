import { PersonDataConflict } from '../ports/person-vault.js';
import * as z from '../../events/zod.js';
import { DomainError } from '../../domain/errors.js';
import { ConcurrencyError } from '../ports/event-store.js';
import type { StoredResponse } from '../ports/idempotency-store.js';
import type { RouteEntry } from '../routes.js';
import { actorOf, callerFromClaims, UNLINKED } from './auth.js';
import { signInRevoked } from '../accounts/sign-ins.js';
import type { LedgerDeps } from './deps.js';
import { sha256 } from '../../events/canonical-json.js';
import { idsFor, newCommandId } from './ids.js';
import { Region } from './region.js';
import { problem, RateLimitedError, zodProblem, type Problem } from './problem.js';
import type { HttpRequest, HttpResponse, RouteDefinition } from './route.js';
import { isCodeSegment, loggableCode } from './loggable.js';

const MAX_BODY_BYTES = 64 * 1024;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export const problemResponse = (p: Problem, headers: Record<string, string> = {}): HttpResponse => ({
  status: p.status,
  headers: { 'content-type': 'application/problem+json', ...headers },
  body: JSON.stringify(p),
});

/**
 * CORS of the routes verifiers and wallets read from pages elsewhere (`cors` in the manifest): any origin may read
 * them, GET only, never with credentials (the answers are public; nothing there depends on who asks).
 */
export const CORS_HEADERS = { 'access-control-allow-origin': '*' } as const;
export const CORS_PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'accept, content-type',
  'access-control-max-age': '86400',
} as const;

/** The answer to a preflight (OPTIONS) on a `cors` route. */
export const corsPreflight = (): HttpResponse => ({ status: 204, headers: { ...CORS_PREFLIGHT_HEADERS }, body: '' });

/**
 * Everything between HTTP and a route's handle(): role check, zod parsing of path, query and body,
 * Idempotency-Key, and the mapping of typed errors to problem+json. The same for Lambda and local.
 */
export async function dispatch(entry: RouteEntry, route: RouteDefinition<any, any, any>, req: HttpRequest, deps: LedgerDeps): Promise<HttpResponse> {
  const response = await dispatchRoute(entry, route, req, deps);
  return entry.cors ? { ...response, headers: { ...response.headers, ...CORS_HEADERS } } : response;
}

async function dispatchRoute(entry: RouteEntry, route: RouteDefinition<any, any, any>, req: HttpRequest, deps: LedgerDeps): Promise<HttpResponse> {
  if (entry.localOnly) {
    const refused = localControlRefusal(req);
    if (refused) return problemResponse(problem(403, 'local-only', refused));
  }
  const claimed = callerFromClaims(req.claims);
  const caller = claimed === UNLINKED ? null : claimed;
  if (entry.auth !== 'public') {
    if (!claimed) return problemResponse(problem(401, 'unauthorized', 'a valid bearer token is required'), { 'www-authenticate': 'Bearer' });
    if (!caller)
      return problemResponse(problem(403, 'account-not-linked', 'this account is not linked to a centre, juror, candidate or agent of the ledger (no custom:ledger_id)'));
    if (!caller.roles.some((r) => entry.auth.includes(r))) {
      return problemResponse(problem(403, 'forbidden', `this route is for: ${entry.auth.join(', ')}`));
    }
    // An account whose region is not one of the 18 would act for a territory no centre is in: said, not ignored.
    if (caller.region !== undefined && !Region.safeParse(caller.region).success) {
      return problemResponse(problem(422, 'unknown-region', `the account's custom:region "${caller.region}" is not one of the 18 French regions`));
    }
  }

  const params = parse(route.params, req.params, 'path');
  if ('problem' in params) return problemResponse(params.problem);
  const query = parse(route.query, req.query, 'query');
  if ('problem' in query) return problemResponse(query.problem);
  const body = parseBody(route, req);
  if ('problem' in body) return problemResponse(body.problem);
  // The JWT authorizer (and the local server, which does as it does) knows nothing of a disabled account: the ledger
  // refuses its tokens, with one read, after the checks that need none (a malformed request changes nothing anyway).
  const revoked = caller && entry.auth !== 'public' ? await signInRevoked(deps, caller) : undefined;
  if (revoked) {
    const detail =
      revoked === 'erased'
        ? "this token's person had their personal data erased: it no longer signs in"
        : 'this token was issued before its account was disabled: sign in again (if the account was invited again)';
    return problemResponse(problem(401, 'sign-in-revoked', detail), { 'www-authenticate': 'Bearer error="invalid_token"' });
  }

  // The local controls are never replayed: a stored answer would hand a token to whoever repeats the key.
  const key = entry.localOnly ? undefined : req.headers['idempotency-key'];
  const isWrite = entry.method !== 'GET';
  if (key !== undefined && isWrite && !IDEMPOTENCY_KEY.test(key)) {
    return problemResponse(problem(400, 'invalid-idempotency-key', 'Idempotency-Key: 1 to 128 letters, digits or . _ : -'));
  }
  const scopedKey = key && isWrite ? `${caller?.sub ?? 'anonymous'}|${entry.method} ${req.path}|${key}` : undefined;
  const fingerprint = scopedKey ? sha256(`${entry.method} ${req.path}\n${req.body ?? ''}`) : '';
  let commandId: string = newCommandId();
  if (scopedKey) {
    const claim = await deps.idempotency.begin(scopedKey, fingerprint, Date.now(), newCommandId());
    if (claim.state === 'replay') return { ...claim.response, headers: { ...claim.response.headers, 'idempotent-replayed': 'true' } };
    if (claim.state === 'mismatch') {
      return problemResponse(problem(422, 'idempotency-key-reused', 'this Idempotency-Key was used with another request'));
    }
    if (claim.state === 'in-progress') {
      return problemResponse(problem(409, 'request-in-progress', 'a request with this Idempotency-Key is still running'));
    }
    // Random per claim, the same for a retry that takes over a dead attempt: ids nobody can predict from the key,
    // and a key used again after its record expired never maps to what the first use created.
    commandId = sha256(`${scopedKey}|${claim.nonce}`);
  }

  const ctx = {
    caller,
    request: req,
    ids: idsFor(commandId),
    command: {
      commandId,
      actor: actorOf(caller, entry.auth === 'public' ? undefined : caller?.roles.find((r) => entry.auth.includes(r))),
      correlationId: req.requestId,
      now: deps.clock.now(),
    },
  };
  let response: HttpResponse;
  try {
    response = await route.handle({ params: params.value, query: query.value, body: body.value, ctx }, deps);
  } catch (error) {
    response = errorResponse(error, deps, req);
  }
  if (scopedKey) {
    if (response.status >= 500) await deps.idempotency.release(scopedKey);
    else await deps.idempotency.complete(scopedKey, fingerprint, toStored(response));
  }
  return response;
}

/** Loopback addresses as Node reports them (IPv4, IPv6, IPv4-mapped IPv6). */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
/** The names this machine answers to: a page elsewhere that rebinds its own name to 127.0.0.1 sends its own Host. */
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d{1,5})?$/i;

/**
 * The local controls (/_local/*) answer a program or a page of this machine only: a loopback peer, a Host header
 * naming this machine (DNS rebinding), and a JSON body (a page elsewhere cannot post JSON across origins without a
 * preflight, which the local server never grants). Why a request is refused, or undefined.
 */
function localControlRefusal(req: HttpRequest): string | undefined {
  if (!LOOPBACK.test(req.sourceIp)) return 'the local controls answer callers on this machine only';
  if (!LOCAL_HOST.test(req.headers.host ?? '')) return 'the local controls answer requests addressed to localhost only';
  if (req.method !== 'GET' && !/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return 'the local controls take JSON only (content-type: application/json)';
  const origin = req.headers.origin;
  if (origin && !/^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d{1,5})?$/i.test(origin)) return 'the local controls answer pages of this machine only';
  return undefined;
}

function parse<T>(schema: z.$ZodType<T> | undefined, value: unknown, where: 'path' | 'query'): { value: T } | { problem: Problem } {
  if (!schema) return { value: {} as T };
  const result = z.safeParse(schema, value);
  return result.success ? { value: result.data } : { problem: zodProblem(result.error, where) };
}

function parseBody(route: RouteDefinition<any, any, any>, req: HttpRequest): { value: unknown } | { problem: Problem } {
  const raw = req.body ?? '';
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return { problem: problem(413, 'payload-too-large', `the body exceeds ${MAX_BODY_BYTES} bytes`) };
  if (!route.body) return { value: undefined };
  let data: unknown;
  try {
    data = raw.trim() === '' ? undefined : JSON.parse(raw);
  } catch {
    return { problem: problem(400, 'invalid-json', 'the body is not valid JSON') };
  }
  const result = z.safeParse(route.body, data);
  return result.success ? { value: result.data } : { problem: zodProblem(result.error, 'body') };
}

/**
 * A path as it may be logged: a segment holding an email (`…/accounts/{email}`) is personal data and left out, a
 * certificate code (`/verify/{code}`, `/certificates/{code}/…`) is hashed (loggableCode).
 */
export const loggablePath = (path: string) =>
  path
    .split('/')
    .map((segment) => (/@|%40/i.test(segment) ? '{email}' : isCodeSegment(segment) ? loggableCode(decodeURIComponent(segment)) : segment))
    .join('/');

export function errorResponse(error: unknown, deps: Pick<LedgerDeps, 'logger'>, req: Pick<HttpRequest, 'method' | 'path' | 'requestId'>): HttpResponse {
  if (error instanceof DomainError) {
    const status = { 'not-found': 404, conflict: 409, forbidden: 403, rule: 422 }[error.kind];
    return problemResponse(problem(status, error.code, error.message));
  }
  if (error instanceof ConcurrencyError) {
    return problemResponse(problem(409, 'concurrent-write', 'another write changed this resource at the same time; read it again and retry'));
  }
  if (error instanceof PersonDataConflict) return problemResponse(problem(409, 'person-data-conflict', 'other personal data are already stored under this id'));
  if (error instanceof z.$ZodError) return problemResponse(zodProblem(error, 'body'));
  if (error instanceof RateLimitedError) return problemResponse(problem(429, 'rate-limited', error.message), { 'retry-after': String(error.retryAfterSeconds) });
  deps.logger.error('unhandled error', { error: error as Error, method: req.method, path: loggablePath(req.path), requestId: req.requestId });
  return problemResponse(problem(500, 'internal-error', `the request failed; reference ${req.requestId}`));
}

const toStored = (r: HttpResponse): StoredResponse => ({
  status: r.status,
  headers: r.headers,
  body: typeof r.body === 'string' ? r.body : Buffer.from(r.body).toString('latin1'),
});
