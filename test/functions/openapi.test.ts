import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../functions/openapi/openapi-document.js';
import document from '../../functions/openapi/openapi.json' with { type: 'json' };
import { routes } from '../../functions/routes.js';

describe('the OpenAPI document', () => {
  it('served as committed, is what the zod schemas generate today (run `npm run openapi` after changing a route)', async () => {
    expect(document).toEqual(JSON.parse(JSON.stringify(await buildOpenApi())));
  });

  it('lists every deployed route of the manifest with its method and security', async () => {
    const paths = document.paths as Record<string, Record<string, { security: unknown[] }>>;
    for (const r of routes.filter((r) => !r.localOnly)) {
      const op = paths[r.path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      expect(op!.security).toEqual(r.auth === 'public' ? [] : [{ bearer: [] }]);
    }
  });
});
