import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWTVerifyGetKey } from 'jose';
import { corsPreflightReply, withApiCors } from './api-cors.js';
import type { InvokeResult } from './function-runner.js';
import { apiGatewayV2Event, httpReplyOf, integrationFailure, matchRoute, type HttpReply } from './http-event.js';
import { authorizeJwt, type JwtAuthorizerConfig } from './jwt-authorizer.js';
import type { Resolver } from './resolver.js';
import type { StackModel } from './template.js';

/**
 * The stack's HTTP API on a local port: its routes and JWT authorizer as synthesized, each request turned
 * into the payload 2.0 event of its route and handed to the integration's function.
 */

export interface HttpApiOptions {
  model: StackModel;
  resolver: Resolver;
  invoke: (functionLogicalId: string, event: unknown) => Promise<InvokeResult>;
  /** The signing keys of a JWT issuer (the template's issuer, resolved). */
  keysFor: (issuer: string) => JWTVerifyGetKey;
  port?: number;
  host?: string;
  /** Requests the twin answers itself before the API (local-only controls); true when answered. */
  local?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean>;
  onError?: (error: unknown) => void;
  /** False while the deploy-time duties run: the API is not there yet, as before a deployment completes. */
  ready?: () => boolean;
}

const message = (status: number, text: string, headers: Record<string, string> = {}): HttpReply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify({ message: text })),
});

/** How long an idle client connection stays open. */
export const IDLE_CONNECTION_MS = 300_000;

export async function startHttpApi(options: HttpApiOptions) {
  const { model, resolver } = options;
  const apiIds = [...new Set(model.httpRoutes.map((r) => r.apiLogicalId).filter((id): id is string => !!id))];
  if (apiIds.length > 1) throw new Error(`the stack has ${apiIds.length} HTTP APIs; the twin serves one`);
  const apiId = apiIds[0] ? resolver.ref(apiIds[0]) : 'twin';
  const cors = model.httpApis.find((a) => a.logicalId === apiIds[0])?.cors;
  const authorizers = new Map<string, JwtAuthorizerConfig>(
    model.jwtAuthorizers.map((a) => {
      const issuer = resolver.resolveString(a.issuer, `${a.logicalId} issuer`);
      return [a.logicalId, { issuer, audience: (resolver.resolve(a.audience) as unknown[]).map(String), keys: options.keysFor(issuer) }];
    }),
  );

  const answer = async (req: IncomingMessage, body: Buffer): Promise<HttpReply> => {
    const url = new URL(req.url ?? '/', 'http://twin');
    const method = req.method ?? 'GET';
    const match = matchRoute(model.httpRoutes, method, url.pathname);
    if (!match) return message(404, 'Not Found');
    const { route } = match;
    let claims: Record<string, unknown> | undefined;
    if (route.authorizationType === 'JWT') {
      const config = route.authorizerLogicalId ? authorizers.get(route.authorizerLogicalId) : undefined;
      if (!config) return message(500, 'Internal Server Error');
      const scopes = (resolver.resolve(route.authorizationScopes) as unknown[]).map(String);
      const auth = await authorizeJwt(config, req.headers.authorization, scopes);
      if (!auth.ok) return message(auth.status, auth.message, { 'www-authenticate': auth.wwwAuthenticate });
      claims = auth.claims;
    }
    if (!route.functionLogicalId || route.integrationType !== 'AWS_PROXY') return integrationFailure();
    const event = apiGatewayV2Event(
      {
        method,
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      },
      match,
      { apiId, accountId: resolver.account, region: resolver.region, claims },
    );
    const out = await options.invoke(route.functionLogicalId, event);
    return out.ok ? httpReplyOf(out.result) : integrationFailure();
  };

  const server = createServer((req, res) => {
    (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      if (options.local && (await options.local(req, res, body))) return;
      const reply =
        options.ready && !options.ready()
          ? message(503, 'Service Unavailable')
          : (corsPreflightReply(cors, req.method ?? 'GET', req.headers) ?? withApiCors(cors, req.headers, await answer(req, body)));
      res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length), 'apigw-requestid': randomUUID() });
      res.end(reply.body);
    })().catch((e: unknown) => {
      options.onError?.(e);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"message":"Internal Server Error"}');
    });
  });
  // API Gateway keeps a client's idle connection open for minutes, Node 5 s: a client that paused longer (the smoke
  // test blocks on the token command, which signs in through cognito-local) found its pooled socket closed.
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.headersTimeout = IDLE_CONNECTION_MS + 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
