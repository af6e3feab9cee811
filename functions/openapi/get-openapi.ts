import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import { buildOpenApi } from './openapi-document.js';

let cached: Promise<unknown> | undefined;

export const route = defineRoute({
  summary: 'This contract as OpenAPI 3.1, generated from the zod schemas',
  response: { status: 200, contentType: 'application/json' },
  handle: async (_, deps) => ok(await (cached ??= buildOpenApi({ includeLocal: Boolean(deps.localClock) }))),
});

export const handler = lambdaHandler('openapi/get-openapi', route);
