import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { routes } from '../routes.js';
import { awsLedger } from '../composition/aws-ledger.js';
import type { LedgerDeps } from './deps.js';
import { dispatch } from './dispatch.js';
import type { RouteDefinition } from './route.js';
import { textual } from './http-body.js';

/**
 * The Lambda entry of one route: API Gateway's event in, the shared dispatch, API Gateway's result out.
 * The ledger is composed once per cold start, from the environment CDK sets (functions/composition/).
 */
export function lambdaHandler(module: string, route: RouteDefinition<any, any, any>, deps: () => LedgerDeps = () => awsLedger().deps) {
  const entry = routes.find((r) => r.module === module);
  if (!entry) throw new Error(`${module} is not in the route manifest`);
  return async (event: APIGatewayProxyEventV2WithJWTAuthorizer, context?: Context): Promise<APIGatewayProxyResultV2> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
    const body = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const ledger = deps();
    if (context) ledger.logger.addContext(context);
    const response = await dispatch(
      entry,
      route,
      {
        method: event.requestContext.http.method,
        path: event.rawPath,
        params: event.pathParameters as Record<string, string>,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
        headers,
        body,
        claims: event.requestContext.authorizer?.jwt?.claims,
        sourceIp: event.requestContext.http.sourceIp,
        requestId: event.requestContext.requestId,
      },
      ledger,
    );
    // What a route left to write after its answer (verification records) is written before the instance freezes.
    await ledger.verifications.flush();
    const isText = textual(response.headers['content-type']);
    return {
      statusCode: response.status,
      headers: response.headers,
      body: typeof response.body === 'string' ? response.body : Buffer.from(response.body).toString(isText ? 'utf8' : 'base64'),
      isBase64Encoded: typeof response.body !== 'string' && !isText,
    };
  };
}
