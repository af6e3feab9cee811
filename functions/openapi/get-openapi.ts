import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { defineRoute, ok } from '../shared/route.js';
import document from './openapi.json' with { type: 'json' };

export const route = defineRoute({
  summary: 'This contract as OpenAPI 3.1, generated from the zod schemas (`npm run openapi`)',
  response: { status: 200, contentType: 'application/json' },
  handle: async () => ok(document),
});

const body = JSON.stringify(document);

/**
 * A public route without input that answers one static document: in Lambda it needs none of the ports, so it
 * skips the shared dispatch and its dependencies (which would more than double its bundle).
 */
export const handler = async (): Promise<APIGatewayProxyResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
  body,
});
