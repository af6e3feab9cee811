import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import document from './openapi.json' with { type: 'json' };

export const route = defineRoute({
  summary: 'This contract as OpenAPI 3.1, generated from the zod schemas (`npm run openapi`)',
  response: { status: 200, contentType: 'application/json' },
  handle: async () => ok(document),
});

export const handler = lambdaHandler('openapi/get-openapi', route);
