import { beforeAll, describe, expect, it } from 'vitest';
import { REGIONS } from '../../referential/regions.js';
import { callRoute, commitCount } from '../support/call-route.js';
import { memoryDeps } from '../support/memory-deps.js';

describe('regions: the 18 of the referential, wherever a region enters', () => {
  let h: Awaited<ReturnType<typeof memoryDeps>>;
  beforeAll(async () => {
    h = await memoryDeps();
  });

  it('the referential lists the 18 regions, each with its INSEE code, once', () => {
    expect(REGIONS).toHaveLength(18);
    expect(new Set(REGIONS.map((r) => r.code)).size).toBe(18);
    expect(new Set(REGIONS.map((r) => r.name)).size).toBe(18);
    expect(REGIONS.find((r) => r.code === '53')?.name).toBe('Bretagne');
  });

  it('a centre registered in one of them is accepted', async () => {
    const res = await callRoute(h.deps, 'POST', '/centres', { as: ['dreets', 'agent-1', 'Île-de-France'], body: { name: 'Centre Paris', region: 'Île-de-France' } });
    expect(res.status, res.text).toBe(201);
  });

  it.each(['bretagne ', 'Bretagne ', 'Ile-de-France', 'Paris', ''])('a centre in "%s" is 400 problem+json, the ledger unchanged', async (region) => {
    const before = await commitCount(h.deps);
    const res = await callRoute(h.deps, 'POST', '/centres', { as: ['dreets', 'agent-1', 'Bretagne'], body: { name: 'Centre', region } });
    expect(res.status, res.text).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.errors).toEqual([expect.objectContaining({ path: 'body.region' })]);
    expect(await commitCount(h.deps)).toBe(before);
  });

  it('an agent whose custom:region is not one of the 18 is refused (422 unknown-region) and appends nothing', async () => {
    const before = await commitCount(h.deps);
    const res = await callRoute(h.deps, 'POST', '/centres', { as: ['dreets', 'agent-1', 'bretagne'], body: { name: 'Centre', region: 'Bretagne' } });
    expect(res.status, res.text).toBe(422);
    expect(res.json.type).toBe('/problems/unknown-region');
    expect(await commitCount(h.deps)).toBe(before);
  });
});
