import { compileRoutes, matchRoute } from '../../functions/local/http-server.js';
import { dispatch } from '../../functions/shared/dispatch.js';
import type { LedgerDeps } from '../../functions/shared/deps.js';
import type { HttpResponse } from '../../functions/shared/route.js';
import { localAccountSub } from '../../functions/local/local-token.js';
import type { Role } from '../../functions/shared/auth.js';

/** The claims API Gateway hands over for an invited account: its own `sub`, the groups flattened, the ledger id. */
export const claimsOf = ([role, ledgerId, region]: [string, string, string?]) => ({
  sub: localAccountSub(role as Role, ledgerId),
  'cognito:groups': `[${role}]`,
  'custom:ledger_id': ledgerId,
  ...(region ? { 'custom:region': region } : {}),
});

type Compiled = Awaited<ReturnType<typeof compileRoutes>>;
let compiled: Promise<Compiled> | undefined;

export interface Call {
  as?: [role: string, ledgerId: string, region?: string];
  body?: unknown;
  /** Sent as is (for malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** The claims as the authorizer hands them over, instead of those of `as` (a token of a given account and `iat`). */
  claims?: Record<string, unknown>;
}

/** Calls a route through the manifest and the shared dispatch, exactly as the local server and Lambda do. */
export async function callRoute(deps: LedgerDeps, method: string, url: string, call: Call = {}) {
  const routes = await (compiled ??= compileRoutes());
  const parsed = new URL(url, 'http://test');
  const found = matchRoute(routes, method, parsed.pathname);
  if (!found.compiled) throw new Error(`no route ${method} ${parsed.pathname}`);
  const response: HttpResponse = await dispatch(
    found.compiled.entry,
    found.compiled.route,
    {
      method,
      path: parsed.pathname,
      params: found.params,
      query: Object.fromEntries(parsed.searchParams),
      // What any HTTP client sends: the Host it addressed, and the JSON content type with a body.
      headers: {
        host: 'localhost',
        ...(call.body !== undefined || call.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
        ...Object.fromEntries(Object.entries(call.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      },
      body: call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
      claims: call.claims ?? (call.as ? claimsOf(call.as) : undefined),
      sourceIp: '127.0.0.1',
      requestId: 'test-request',
    },
    deps,
  );
  const text = typeof response.body === 'string' ? response.body : Buffer.from(response.body).toString('utf8');
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text, body: response.body };
}

/** How many commits the whole ledger holds: a refused request must leave it unchanged. */
export async function commitCount(deps: LedgerDeps): Promise<number> {
  let n = 0;
  for await (const _ of deps.store.scan()) n++;
  return n;
}
