import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { type RouteEntry, routes } from '../routes.js';
import { awsDeps } from '../composition/aws-ledger.js';
import type { LedgerDeps } from './deps.js';
import { dispatch, problemResponse } from './dispatch.js';
import type { RouteDefinition } from './route.js';
import { NOT_UTF8_DETAIL, textual, utf8Text } from './http-body.js';
import { problem } from './problem.js';
import { clientAddress, isFromCloudFront, ORIGIN_SECRET_HEADER } from './viewer-address.js';

/**
 * The Lambda entry of one route: API Gateway's event in, the shared dispatch, API Gateway's result out.
 * The ledger is composed once per cold start, from the environment CDK sets (functions/composition/).
 */
export function lambdaHandler(module: string, route: RouteDefinition<any, any, any>, deps: () => LedgerDeps = awsDeps) {
  const entry = routeEntryOf(module);
  return async (event: APIGatewayProxyEventV2WithJWTAuthorizer, context?: Context): Promise<APIGatewayProxyResultV2> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
    const body = event.body === undefined ? undefined : event.isBase64Encoded ? utf8Text(Buffer.from(event.body, 'base64')) : event.body;
    const ledger = deps();
    if (event.body !== undefined && body === undefined) return notUtf8();
    if (context) ledger.logger.addContext(context);
    if (process.env.API_BEHIND_CLOUDFRONT === 'true') {
      const refused = await aroundCloudFront(headers, ledger);
      if (refused) return refused;
    }
    const response = await dispatch(
      entry,
      route,
      {
        method: event.requestContext.http.method,
        path: event.rawPath,
        // API Gateway leaves pathParameters out on a route without variables (GET /.well-known/did.json, whose module
        // also serves /certifiers/{certifier}/did.json): no parameter, not a malformed request.
        params: (event.pathParameters ?? {}) as Record<string, string>,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
        headers,
        body,
        claims: event.requestContext.authorizer?.jwt?.claims,
        sourceIp: await sourceIpOf(entry.auth === 'public', headers, event.requestContext.http.sourceIp, ledger),
        requestId: event.requestContext.requestId,
      },
      ledger,
    );
    // What a route left to write after its answer (verification records) is written before the instance freezes. A
    // bundle without the verification log (its grants, infra/bundling/options.ts) has nothing to flush.
    if (process.env.LEDGER_BUNDLE_VERIFICATIONS !== 'denied') await ledger.verifications.flush();
    const isText = textual(response.headers['content-type']);
    return {
      statusCode: response.status,
      headers: response.headers,
      body: typeof response.body === 'string' ? response.body : Buffer.from(response.body).toString(isText ? 'utf8' : 'base64'),
      isBase64Encoded: typeof response.body !== 'string' && !isText,
    };
  };
}

/**
 * The route's entry in the manifest. In a Lambda bundle it is a constant the stack defines from the manifest
 * (routeDefines, infra/constructs/ledger-functions.ts), so esbuild drops the whole manifest the bundle would
 * otherwise carry for one line of it (issue 15); tested where it is read, since esbuild folds only a literal test.
 * Anywhere else (tsx, tests) it is read from the manifest.
 */
function routeEntryOf(module: string): RouteEntry {
  const entry: RouteEntry | undefined = process.env.LEDGER_BUNDLE_ROUTE ? (JSON.parse(process.env.LEDGER_BUNDLE_ROUTE) as RouteEntry) : routes.find((r) => r.module === module);
  if (entry?.module !== module) throw new Error(`${module} is not in the route manifest`);
  return entry;
}

/**
 * Behind CloudFront, a request without an accepted origin secret reached the execute-api address directly, around
 * the distribution and its WAF: refused (403) before anything is read. When the secret cannot be read, nothing can
 * be told apart: 503, fail closed.
 */
async function aroundCloudFront(headers: Record<string, string>, ledger: LedgerDeps): Promise<APIGatewayProxyResultV2 | undefined> {
  let accepted: readonly string[];
  try {
    accepted = ledger.originSecrets ? await ledger.originSecrets.accepted() : [];
  } catch (error) {
    ledger.logger.error('origin secret unavailable: refusing requests until it is', { error: (error as Error).name });
    return asResult(problemResponse(problem(503, 'origin-check-unavailable', 'the API cannot check where this request came from; try again shortly')));
  }
  if (isFromCloudFront(headers, accepted)) return undefined;
  return asResult(problemResponse(problem(403, 'not-through-cloudfront', 'this API answers through its public address only')));
}

const asResult = (response: ReturnType<typeof problemResponse>): APIGatewayProxyResultV2 => ({
  statusCode: response.status,
  headers: response.headers,
  body: String(response.body),
  isBase64Encoded: false,
});

/** API Gateway hands a body that is not text over in base64: one that is not UTF-8 either is refused as JSON would be. */
function notUtf8(): APIGatewayProxyResultV2 {
  const response = problemResponse(problem(400, 'invalid-request', NOT_UTF8_DETAIL));
  return { statusCode: response.status, headers: response.headers, body: String(response.body), isBase64Encoded: false };
}

/**
 * The address a public route's rate limiter counts: the viewer's, when CloudFront vouches for it with the origin
 * secret (functions/shared/viewer-address.ts). The secret is read only for public routes and only when the header
 * is there; if it cannot be read, the source IP stands (a shared, stricter count, never a 5xx).
 */
async function sourceIpOf(isPublic: boolean, headers: Record<string, string>, sourceIp: string, ledger: LedgerDeps): Promise<string> {
  if (!isPublic || !ledger.originSecrets || !headers[ORIGIN_SECRET_HEADER]) return sourceIp;
  try {
    return clientAddress(headers, sourceIp, await ledger.originSecrets.accepted());
  } catch (error) {
    ledger.logger.warn('origin secret unavailable: counting the source IP', { error: (error as Error).name });
    return sourceIp;
  }
}
