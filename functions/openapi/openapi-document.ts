import { z } from 'zod';
import { routes, type RouteEntry } from '../routes.js';
import { routeModules } from '../route-modules.js';
import { ProblemSchema } from '../shared/problem.js';

const schemaOf = (schema: z.core.$ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/** The OpenAPI 3.1 document, generated from the route manifest and each route's zod schemas. */
export async function buildOpenApi(options: { includeLocal?: boolean } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const entry of routes) {
    if (entry.localOnly && !options.includeLocal) continue;
    const { route } = await routeModules[entry.module]!();
    const parameters = [
      // A module may serve several paths (the DID documents): each lists the parameters its own path has.
      ...objectFields(route.params)
        .filter(([name]) => entry.path.includes(`{${name}}`))
        .map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...objectFields(route.query).map(([name, schema, required]) => ({ name, in: 'query', required, schema })),
    ];
    const status = String(route.response?.status ?? 200);
    const success = route.response?.schema ? { schema: schemaOf(route.response.schema, 'output') } : {};
    const content = route.response?.schema || route.response?.contentType ? { content: { [route.response.contentType ?? 'application/json']: success } } : {};
    const responses: Record<string, unknown> = {
      [status]: { description: route.summary, ...content },
      ...errorResponses(entry, Boolean(route.params || route.query || route.body)),
    };
    paths[entry.path] ??= {};
    paths[entry.path]![entry.method.toLowerCase()] = {
      summary: route.summary,
      operationId: entry.module.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
      ...(entry.auth === 'public' ? { security: [] } : { security: [{ bearer: [] }], 'x-roles': entry.auth }),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'certification-ledger', version: '1.0.0', description: 'Ledger of titres professionnels and their CCP (see API.md).' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: schemaOf(ProblemSchema, 'output') },
    },
    paths,
  };
}

function objectFields(schema: z.core.$ZodType | undefined): [string, unknown, boolean][] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => [name, s, (json.required ?? []).includes(name)]);
}

function errorResponses(entry: RouteEntry, validates: boolean) {
  const out: Record<string, unknown> = {};
  const add = (status: number, description: string) => (out[status] = { description, content: problemContent });
  if (validates || entry.method !== 'GET') add(400, 'Bad input: the offending fields are in `errors`');
  if (entry.auth !== 'public') {
    add(401, 'Missing or bad token');
    add(403, 'Wrong role, or not yours');
  }
  if (entry.path.includes('{')) add(404, 'Unknown resource');
  if (entry.method !== 'GET') {
    add(409, 'A concurrent write conflicted');
    add(422, 'A rule of the domain refused the request; `type` names the rule');
  }
  return out;
}
