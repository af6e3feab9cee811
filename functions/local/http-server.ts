import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { routes, type RouteEntry } from '../routes.js';
import { routeModules } from '../route-modules.js';
import { corsPreflight, dispatch, errorResponse, loggablePath, problemResponse } from '../shared/dispatch.js';
import type { LedgerDeps } from '../shared/deps.js';
import { problem } from '../shared/problem.js';
import { NOT_UTF8_DETAIL, utf8Text } from '../shared/http-body.js';
import type { HttpRequest, HttpResponse, RouteDefinition } from '../shared/route.js';
import { peerUserRefusal, readProcNet, type ProcNetReader } from './peer-user.js';

interface CompiledRoute {
  entry: RouteEntry;
  pattern: RegExp;
  names: string[];
  route: RouteDefinition<any, any, any>;
}

export type ClaimsVerifier = (authorization: string | undefined) => Promise<Record<string, unknown> | undefined>;
export type StaticHandler = (req: IncomingMessage, url: URL) => Promise<HttpResponse | undefined>;

/** Compiles the manifest's paths ({name} segments) to matchers and loads each route's module. */
export async function compileRoutes(entries: readonly RouteEntry[] = routes): Promise<CompiledRoute[]> {
  return Promise.all(
    entries.map(async (entry) => {
      const names: string[] = [];
      const source = entry.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      const module = routeModules[entry.module];
      if (!module) throw new Error(`no module ${entry.module} for ${entry.method} ${entry.path}`);
      return { entry, pattern: new RegExp(`^${source}$`), names, route: (await module()).route };
    }),
  );
}

/** Finds the route for a request; decodes path parameters (a malformed escape is left as is, zod refuses it). */
export function matchRoute(compiled: CompiledRoute[], method: string, path: string) {
  let pathMatched = false;
  for (const c of compiled) {
    const m = c.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (c.entry.method !== method) continue;
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => {
      const raw = m[i + 1]!;
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        params[name] = raw;
      }
    });
    return { compiled: c, params };
  }
  return { compiled: undefined, pathMatched };
}

/** The local HTTP front: what API Gateway and its JWT authorizer do in AWS, driven by the same manifest. */
export async function startHttpServer(options: {
  port: number;
  host?: string;
  deps: LedgerDeps;
  verifyClaims: ClaimsVerifier;
  /** The local authoriser's hint on a refused token (another data dir's, expired); none on AWS. */
  explainRefusedToken?: (authorization: string | undefined) => Promise<string | undefined>;
  staticPages?: StaticHandler;
  /** Where the local controls read which user a loopback peer is (functions/local/peer-user.ts); tests give another. */
  procNet?: ProcNetReader;
}): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const compiled = await compileRoutes(routes);
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      const response = errorResponse(error, options.deps, { method: req.method ?? '', path: req.url ?? '', requestId: 'unknown' });
      send(res, response);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const body = await readBody(req, 256 * 1024);
    if (body === null) return send(res, problemResponse(problem(413, 'payload-too-large', 'the body is too large')));
    if (body === NOT_UTF8) return send(res, problemResponse(problem(400, 'invalid-request', NOT_UTF8_DETAIL)));
    if (method === 'OPTIONS') {
      // A preflight: answered for the routes any origin may read (API Gateway's CORS configuration does it in AWS).
      const readable = matchRoute(compiled, 'GET', url.pathname);
      if (readable.compiled?.entry.cors) return send(res, corsPreflight());
    }
    const found = matchRoute(compiled, method === 'HEAD' ? 'GET' : method, url.pathname);
    if (!found.compiled) {
      const page = (method === 'GET' || method === 'HEAD') && options.staticPages ? await options.staticPages(req, url) : undefined;
      if (page) return send(res, page);
      return send(
        res,
        found.pathMatched
          ? problemResponse(problem(405, 'method-not-allowed', `${method} is not allowed on ${url.pathname}`))
          : problemResponse(problem(404, 'not-found', `no route ${url.pathname}`)),
      );
    }
    if (found.compiled.entry.localOnly) {
      // Loopback is any user of this machine: the local controls answer the one who runs the ledger only.
      const { remoteAddress, remotePort, localAddress, localPort } = req.socket;
      const refused = peerUserRefusal({ remoteAddress, remotePort, localAddress, localPort }, options.procNet ?? readProcNet);
      if (refused) return send(res, problemResponse(problem(403, 'local-only', refused)));
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    const request: HttpRequest = {
      method,
      path: url.pathname,
      params: found.params,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      claims: await options.verifyClaims(headers.authorization),
      sourceIp: req.socket.remoteAddress ?? 'unknown',
      requestId: randomUUID(),
    };
    const started = performance.now();
    let response = await dispatch(found.compiled.entry, found.compiled.route, request, options.deps);
    if (response.status === 401 && options.explainRefusedToken) {
      const hint = await options.explainRefusedToken(headers.authorization);
      if (hint) response = problemResponse(problem(401, 'unauthorized', hint), { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    send(res, { ...response, headers: { 'x-request-id': request.requestId, ...response.headers } });
    // The route and the path (ids and codes, no email), never the query (GET /verify takes a family name) or a body.
    options.deps.logger.debug('request', {
      method,
      route: found.compiled.entry.path,
      path: loggablePath(url.pathname),
      status: response.status,
      ms: Math.round(performance.now() - started),
      requestId: request.requestId,
    });
  }

  // A client's idle connection stays open for minutes, as behind API Gateway, not Node's 5 s: a client that paused
  // longer (a script waiting on the token command) found its pooled connection reset on its next request.
  server.keepAliveTimeout = 300_000;
  server.headersTimeout = 301_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const NOT_UTF8 = Symbol('not UTF-8');

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined | null | typeof NOT_UTF8> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : chunks.length ? (utf8Text(Buffer.concat(chunks)) ?? NOT_UTF8) : undefined));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: HttpResponse) {
  res.writeHead(response.status, { 'cache-control': 'no-store', ...response.headers });
  res.end(response.body);
}
