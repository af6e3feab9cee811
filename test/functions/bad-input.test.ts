import fc from 'fast-check';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.js';
import { routeModules } from '../../functions/route-modules.js';
import type { RouteDefinition } from '../../functions/shared/route.js';
import { callRoute, commitCount } from '../support/call-route.js';
import { memoryDeps } from '../support/memory-deps.js';

/**
 * Every route that takes input answers generated bad input with 400 problem+json, and the ledger is unchanged.
 * Path parameters are replaced by generated values that the route's params schema refuses; bodies by generated
 * JSON (or non-JSON text) that its body schema refuses; queries likewise.
 */
describe('bad input on every route', () => {
  let h: Awaited<ReturnType<typeof memoryDeps>>;
  beforeAll(async () => {
    h = await memoryDeps();
  });

  // A value each parameter accepts, so that the one generated value is the only thing wrong with a path.
  const validSegmentOf = (name: string) => (name === 'email' ? 'x0@exemple.fr' : 'x0');
  const namesOf = (path: string) => (path.match(/\{(\w+)\}/g) ?? []).map((m) => m.slice(1, -1));
  const fillPath = (path: string, bad?: { name: string; value: string }) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) => (bad?.name === name ? encodeURIComponent(bad.value) : encodeURIComponent(validSegmentOf(name))));

  for (const entry of routes) {
    const role = entry.auth === 'public' ? undefined : entry.auth[0];
    const as = role ? ([role, 'fuzz-sub'] as [string, string]) : undefined;

    it(`${entry.method} ${entry.path}`, async () => {
      const { route } = (await routeModules[entry.module]!()) as { route: RouteDefinition<any, any, any> };
      const before = await commitCount(h.deps);
      const expectBadRequest = async (res: Awaited<ReturnType<typeof callRoute>>) => {
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toBe('application/problem+json');
        expect(res.json).toMatchObject({ status: 400, type: expect.stringMatching(/^\/problems\//), title: expect.any(String), detail: expect.any(String) });
        expect(res.text).not.toMatch(/at .*\.ts:\d+/); // no stack trace
      };
      let checked = 0;

      if (route.body) {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc
                .jsonValue()
                .filter((v) => !z.safeParse(route.body!, v).success)
                .map((v) => JSON.stringify(v)),
              fc.string().filter((s) => {
                try {
                  JSON.parse(s);
                  return false;
                } catch {
                  return s.trim() !== '';
                }
              }),
            ),
            async (raw) => {
              await expectBadRequest(await callRoute(h.deps, entry.method, fillPath(entry.path), { as, rawBody: raw }));
            },
          ),
          { numRuns: 40 },
        );
        checked++;
      }
      const acceptsAnyText = (names: string[]) =>
        names.every((n) => z.safeParse(route.params!, Object.fromEntries(names.map((m) => [m, m === n ? '<script>%ZZ\u0000é' : validSegmentOf(m)]))).success);
      if (route.params && entry.auth === 'public' && namesOf(entry.path).includes('code') && acceptsAnyText(namesOf(entry.path))) {
        // A public lookup by code: malformed and unknown codes get the same 404, byte for byte (API.md).
        const unknown = await callRoute(h.deps, entry.method, fillPath(entry.path, { name: 'code', value: '7KQ2-M9XD-4HTB-P3WX6' }));
        expect(unknown.status).toBe(404);
        await fc.assert(
          fc.asyncProperty(
            fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !s.includes('/') && s !== '.' && s !== '..'),
            async (value) => {
              const res = await callRoute(h.deps, entry.method, fillPath(entry.path, { name: 'code', value }));
              expect(res.status).toBe(404);
              expect(res.text).toBe(unknown.text);
            },
          ),
          { numRuns: 30 },
        );
        checked++;
      } else if (route.params) {
        const names = namesOf(entry.path);
        if (names.length > 1) {
          // Beside the generated value, every other parameter must be valid, or the property would hold vacuously.
          const shape = (route.params as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
          for (const n of names) expect(shape[n]!.safeParse(validSegmentOf(n)).success, `${n}=${validSegmentOf(n)} is valid`).toBe(true);
        }
        for (const name of names) {
          await fc.assert(
            fc.asyncProperty(
              fc
                .string({ minLength: 1, maxLength: 80 })
                .filter(
                  (s) =>
                    !s.includes('/') &&
                    s !== '.' &&
                    s !== '..' &&
                    !z.safeParse(route.params!, Object.fromEntries(names.map((n) => [n, n === name ? s : validSegmentOf(n)]))).success,
                ),
              async (value) => {
                await expectBadRequest(await callRoute(h.deps, entry.method, fillPath(entry.path, { name, value }), { as, body: {} }));
              },
            ),
            { numRuns: 30 },
          );
        }
        checked++;
      }
      if (route.query) {
        const shape = (route.query as unknown as { shape?: Record<string, unknown> }).shape ?? {};
        const names = Object.keys(shape);
        if (names.length) {
          await fc.assert(
            fc.asyncProperty(fc.constantFrom(...names), fc.string({ maxLength: 40 }), async (name, value) => {
              fc.pre(!z.safeParse(route.query!, { [name]: value }).success);
              await expectBadRequest(await callRoute(h.deps, entry.method, `${fillPath(entry.path)}?${new URLSearchParams({ [name]: value })}`, { as }));
            }),
            { numRuns: 30 },
          );
          checked++;
        }
      }
      if (checked === 0) {
        // A route without input: whatever body arrives is ignored, and it still answers without a 5xx.
        const res = await callRoute(h.deps, entry.method, fillPath(entry.path), { as, rawBody: '{not json' });
        expect(res.status).toBeLessThan(500);
      }
      expect(await commitCount(h.deps)).toBe(before);
    }, 120_000);
  }
});
