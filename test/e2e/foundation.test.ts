import { generateKeyPair, SignJWT } from 'jose';
import { Agent, get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/local/local-token.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { registeredCentre } from '../support/registered-centre.js';

// Local only: it reads the candidate's stream from the store and restarts the ledger on its data dir.

describe('the local ledger over HTTP', () => {
  let L: LocalLedger;
  beforeAll(async () => {
    L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
  });
  afterAll(async () => L?.stop());

  it('answers GET /health', async () => {
    expect(await L.call('GET', '/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it("keeps a client's idle connection open longer than Node's 5 s (a script pausing on the token command reuses it)", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const once = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = get(`${L.url.replace('localhost', '127.0.0.1')}/health`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    expect(await once()).toEqual({ status: 200, reused: false });
    await new Promise((r) => setTimeout(r, 6000));
    expect(await once()).toEqual({ status: 200, reused: true });
    agent.destroy();
  }, 30_000);

  it('lists the four certifications of the referential with their blocs', async () => {
    const { status, json } = await L.call('GET', '/certifications');
    expect(status).toBe(200);
    const blocs = Object.fromEntries(json.map((c: { rncp: string; blocs: unknown[] }) => [c.rncp, c.blocs.length]));
    expect(blocs).toMatchObject({ RNCP38665: 2, RNCP32340: 2, RNCP12505: 3 });
    expect(json).toHaveLength(4);
    for (const c of json) expect(Object.keys(c).sort()).toEqual(['blocs', 'level', 'rncp', 'title', 'validFrom', 'validUntil']);
  });

  it('details one certification with the fields of API.md and its lineage', async () => {
    const { status, json } = await L.call('GET', '/certifications/RNCP38665');
    expect(status).toBe(200);
    expect(json).toMatchObject({
      rncp: 'RNCP38665',
      level: 5,
      validUntil: '2029-05-12',
      regime: { kind: 'titre-validity', graceYears: 1 },
      accessRoutes: { refused: expect.arrayContaining(['candidature_individuelle']) },
      jury: { minMembers: 2 },
      predecessor: 'RNCP32340',
    });
    expect(json.blocs.map((b: { code: string }) => b.code)).toEqual(['RNCP38665BC01', 'RNCP38665BC02']);
    expect((await L.call('GET', '/certifications/RNCP32340')).json).toMatchObject({ successor: 'RNCP38665', predecessor: 'RNCP12505' });
    expect((await L.call('GET', '/certifications/RNCP12505')).json).toMatchObject({ regime: { kind: 'fixed-years', years: 5 } });
  });

  it('answers an unknown certification with 404 problem+json', async () => {
    const res = await L.call('GET', '/certifications/RNCP99999');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json).toMatchObject({ status: 404, type: '/problems/certification-not-found' });
  });

  it('publishes the OpenAPI 3.1 document generated from the zod schemas', async () => {
    const { json } = await L.call('GET', '/openapi.json');
    expect(json.openapi).toBe('3.1.0');
    expect(json.paths['/certifications/{rncp}'].get.parameters[0]).toMatchObject({ name: 'rncp', in: 'path', required: true });
    expect(json.paths['/candidates'].post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['familyName', 'givenNames', 'birthDate']));
  });

  it('refuses a missing, expired, foreign-signed or tampered token with 401, and a wrong role with 403', async () => {
    const body = { familyName: 'Durand', givenNames: 'Léa', birthDate: '1991-02-03' };
    expect((await L.call('POST', '/candidates', { body })).status).toBe(401);
    const expired = await signLocalToken(L.keys, 'centre', 'c1', { ttlSeconds: -60 });
    expect((await L.call('POST', '/candidates', { body, headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
    const other = await generateKeyPair('ES256');
    const foreign = await new SignJWT({ 'cognito:groups': ['centre'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('c1')
      .setIssuer('certification-ledger-local')
      .setAudience('certification-ledger')
      .setExpirationTime('1h')
      .sign(other.privateKey);
    expect((await L.call('POST', '/candidates', { body, headers: { authorization: `Bearer ${foreign}` } })).status).toBe(401);
    const good = await L.token('centre', 'c1');
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = [h, Buffer.from(JSON.stringify({ ...payload, 'cognito:groups': ['dreets'] })).toString('base64url'), s].join('.');
    expect((await L.call('POST', '/candidates', { body, headers: { authorization: `Bearer ${tampered}` } })).status).toBe(401);
    const wrongRole = await L.call('POST', '/candidates', { body, as: ['juror', 'j1'] });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.json.type).toBe('/problems/forbidden');
  });

  it('replays the first answer for a repeated Idempotency-Key and appends nothing more', async () => {
    const body = { familyName: 'Martin', givenNames: 'Paul', birthDate: '1988-07-14' };
    const headers = { 'idempotency-key': 'create-paul-1' };
    const c1 = await registeredCentre(L.call);
    const first = await L.call('POST', '/candidates', { body, headers, as: ['centre', c1] });
    const again = await L.call('POST', '/candidates', { body, headers, as: ['centre', c1] });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.candidateId).toBe(first.json.candidateId);
    const other = await L.call('POST', '/candidates', { body: { ...body, givenNames: 'Pierre' }, headers, as: ['centre', c1] });
    expect(other.status).toBe(422);
    expect(other.json.type).toBe('/problems/idempotency-key-reused');
    const slice = await L.deps.store.read(`candidate#${first.json.candidateId}`);
    expect(slice.commits).toHaveLength(1);
  });

  it('moves the virtual clock forward, never back', async () => {
    expect((await L.call('POST', '/_local/clock', { body: { now: '2025-10-01T00:00:00Z' } })).json).toEqual({ now: '2025-10-01T00:00:00.000Z' });
    const back = await L.call('POST', '/_local/clock', { body: { now: '2025-01-01T00:00:00Z' } });
    expect(back.status).toBe(422);
    expect(back.json.type).toBe('/problems/clock-cannot-go-back');
  });

  it('answers unknown paths with 404 and wrong methods with 405, as problem+json', async () => {
    expect((await L.call('GET', '/nothing-here')).status).toBe(404);
    const wrong = await L.call('DELETE', '/certifications');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('restart', () => {
  it('keeps the data, the clock and the referential without appending it twice', async () => {
    const first = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
    const created = await first.call('POST', '/candidates', {
      as: ['centre', await registeredCentre(first.call)],
      body: { familyName: 'Roux', givenNames: 'Ana', birthDate: '1990-01-01' },
    });
    await first.call('POST', '/_local/clock', { body: { now: '2026-01-01T00:00:00Z' } });
    let commits = 0;
    for await (const _ of first.deps.store.scan()) commits++;
    await first.stop();

    const second = await startTestLedger({ dataDir: first.dataDir, clock: 'virtual:2025-09-01T08:00:00Z' });
    try {
      let after = 0;
      for await (const _ of second.deps.store.scan()) after++;
      expect(after).toBe(commits);
      expect((await second.deps.store.read(`candidate#${created.json.candidateId}`)).version).toBe(1);
      expect(second.clock.now()).toBe('2026-01-01T00:00:00.000Z');
      expect((await second.call('GET', '/certifications')).json).toHaveLength(4);
    } finally {
      await second.stop();
    }
  });
});
