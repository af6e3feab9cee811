import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_PARTITION } from '../../functions/projections/certification-catalogue.js';
import { BatchingReadModelStore } from '../../functions/adapters/batching-read-model-store.js';
import { DynamoReadModelStore } from '../../functions/adapters/dynamodb-read-model-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import type { EventStore } from '../../functions/ports/event-store.js';
import type { ReadModelStore } from '../../functions/ports/read-model-store.js';
import { routes } from '../../functions/routes.js';
import type { LedgerDeps } from '../../functions/shared/deps.js';
import { callRoute, type Call } from '../support/call-route.js';
import { memoryDeps, TestClock } from '../support/memory-deps.js';
import { scenario, type Caller } from '../support/scenario.js';

const RNCP = 'RNCP38665';

type Read = { op: string; partition?: string };

/**
 * What a route reads, recorded: the read-model store and the event store handed to the handler answer only the
 * methods of their ports and note each call. A whole-model listing or a Scan has no method to go through.
 */
function recording(deps: LedgerDeps, reads: Read[]): LedgerDeps {
  const note = <T>(read: Read, result: T): T => {
    reads.push(read);
    return result;
  };
  const inner = deps.readModels;
  const readModels: ReadModelStore = {
    get: (partition, key) => note({ op: 'get', partition }, inner.get(partition, key)),
    put: (partition, key, doc, position, expected) => note({ op: 'put', partition }, inner.put(partition, key, doc, position, expected)),
    query: (partition) => note({ op: 'query', partition }, inner.query(partition)),
    putAll: (docs) => {
      for (const d of docs) note({ op: 'put', partition: d.partition }, undefined);
      return inner.putAll(docs);
    },
  };
  const source = deps.store;
  const store: EventStore = {
    append: (commit) => note({ op: 'append' }, source.append(commit)),
    read: (stream, from) => note({ op: 'read', partition: stream }, source.read(stream, from)),
    scan: () => note({ op: 'scan' }, source.scan()),
    scanPage: (request) => note({ op: 'scan' }, source.scanPage(request)),
  };
  return Object.assign(Object.create(Object.getPrototypeOf(deps) as object) as LedgerDeps, deps, { readModels, store });
}

/** A partition is one subject's: `model#id`, with an id. */
const ONE_PARTITION = /^[a-z][a-z-]*#[^#].*$/;

describe('every read path of the route manifest reads one partition at a time (DESIGN.md §3)', () => {
  const ids: Record<string, string> = { rncp: RNCP };
  let h: Awaited<ReturnType<typeof memoryDeps>>;
  let jurorId: string;

  beforeAll(async () => {
    const clock = new TestClock('2025-09-01T08:00:00.000Z');
    h = await memoryDeps({ clock });
    const call: Caller = async (method, path, opts = {}) => {
      const res = await callRoute(h.deps, method, path, { as: opts.as, body: opts.body, headers: opts.headers });
      await h.settle();
      return res;
    };
    const s = scenario(call);
    ids.centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
    const jurors = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
    jurorId = jurors[0]!;
    ids.jurorId = jurorId;
    ids.candidateId = await s.candidate(ids.centreId, 'Martin');
    const blocs = await s.blocs(RNCP);
    ids.sessionId = await s.session(ids.centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' }, jurors);
    await s.enrol(ids.centreId, ids.sessionId, ids.candidateId);
    clock.set('2025-10-06T15:00:00Z');
    await s.deliberate(
      ids.sessionId,
      jurors,
      ids.candidateId,
      'titre',
      blocs,
      blocs.map((b) => b.code),
    );
    await s.validatePv(ids.sessionId);
    const record = (await call('GET', `/candidates/${ids.candidateId}/record`, { as: ['candidate', ids.candidateId] })).json;
    ids.code = record.certificates[0].code;
    // The issuer and the status list named by the credential itself.
    const jws = (await call('GET', `/certificates/${ids.code}/credential`)).text;
    const credential = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8'));
    ids.certifier = String(credential.issuer.id).split(':').at(-1)!;
    ids.listId = String(credential.credentialStatus.statusListCredential).split('/').at(-1)!;
    ids.document = 'openid-credential-issuer';
    const exported = await call('POST', '/statistics/exports', { as: ['ministry', 'dgefp-1'], body: { year: 2025 } });
    ids.exportId = exported.json.exportId;
    ids.type = 'titre-professionnel';
  }, 120_000);

  const callerFor = (auth: (typeof routes)[number]['auth']): Call['as'] => {
    if (auth === 'public') return undefined;
    const role = auth[0]!;
    if (role === 'candidate') return ['candidate', ids.candidateId!];
    if (role === 'centre') return ['centre', ids.centreId!];
    if (role === 'juror') return ['juror', jurorId];
    if (role === 'dreets') return ['dreets', 'agent-1', 'Bretagne'];
    return [role, 'dgefp-1'];
  };

  const reads = routes.filter((r) => r.method === 'GET' && !r.localOnly);
  const queries: Record<string, string> = { '/statistics': '?rncp=RNCP38665&year=2025', '/jurors': `?rncp=${RNCP}` };

  it.each(reads.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_, route) => {
    const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const id = ids[name];
      if (!id) throw new Error(`no id for {${name}}: give this test one for the new route ${route.path}`);
      return encodeURIComponent(id);
    });
    const seen: Read[] = [];
    const res = await callRoute(recording(h.deps, seen), 'GET', `${path}${queries[route.path] ?? ''}`, { as: callerFor(route.auth) });
    expect(res.status, res.text).toBeLessThan(400);
    // No scan of the ledger, no write, no stream read: a GET answers from the read models.
    expect(seen.filter((r) => r.op === 'scan' || r.op === 'put' || r.op === 'append' || r.op === 'read')).toEqual([]);
    for (const r of seen) if (r.partition !== undefined && r.op !== 'read') expect(r.partition).toMatch(ONE_PARTITION);
    // At most one partition of the ledger's subjects queried per request, besides the catalogue (the referential's
    // few versions, whatever the ledger's size: a status list finds its certifier there).
    expect(seen.filter((r) => r.op === 'query' && r.partition !== CATALOGUE_PARTITION).length, JSON.stringify(seen)).toBeLessThanOrEqual(1);
  });

  it('the ministry’s national list of centres is one partition too', async () => {
    const seen: Read[] = [];
    const res = await callRoute(recording(h.deps, seen), 'GET', '/centres', { as: ['ministry', 'dgefp-1'] });
    expect(res.status, res.text).toBe(200);
    expect(res.json.map((c: { centreId: string }) => c.centreId)).toContain(ids.centreId);
    expect(seen.filter((r) => r.op === 'query')).toHaveLength(1);
  });

  it('no read-model adapter lists beyond one partition', () => {
    for (const adapter of [MemoryReadModelStore, DynamoReadModelStore, BatchingReadModelStore]) {
      const methods = Object.getOwnPropertyNames(adapter.prototype).filter((m) => m !== 'constructor' && m !== 'dump' && m !== 'done' && m !== 'read');
      // putAll writes (a rebuild's batch); it reads nothing.
      expect(methods.sort(), adapter.name).toEqual(['get', 'put', 'putAll', 'query']);
    }
  });
});
