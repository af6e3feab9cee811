import { beforeAll, describe, expect, it } from 'vitest';
import type { ReadModelStore } from '../../functions/ports/read-model-store.js';
import { callRoute, type Call } from '../support/call-route.js';
import { memoryDeps } from '../support/memory-deps.js';

const RNCP = 'RNCP38665';
const bretagne: Call['as'] = ['dreets', 'agent-1', 'Bretagne'];
const normandie: Call['as'] = ['dreets', 'agent-2', 'Normandie'];

/**
 * The lists people pick from (issue 16): every answer through the route manifest, names only for the readers the
 * law lets see them, each candidate's name read in their access log, and every list one partition of a model.
 */
describe('lists and names through the route manifest', () => {
  let h: Awaited<ReturnType<typeof memoryDeps>>;
  let centreId: string;
  let otherCentre: string;
  let jurors: string[];
  let candidates: string[];
  let sessionId: string;
  /** Every partition a route queried, to show each list is one subject's partition. */
  const queried: string[] = [];

  const call = async (method: string, path: string, as: Call['as'], body?: unknown) => {
    await h.settle();
    const res = await callRoute(h.deps, method, path, { as, body });
    return res;
  };
  const post = async (path: string, as: Call['as'], body?: unknown) => {
    const res = await call('POST', path, as, body);
    expect(res.status, res.text).toBeLessThan(300);
    return res.json;
  };

  beforeAll(async () => {
    h = await memoryDeps();
    ({ centreId } = await post('/centres', bretagne, { name: 'AFPA Rennes', region: 'Bretagne' }));
    await post(`/centres/${centreId}/agrements`, bretagne, { rncp: RNCP, validUntil: '2027-12-31' });
    ({ centreId: otherCentre } = await post('/centres', normandie, { name: 'Greta Caen', region: 'Normandie' }));
    jurors = [];
    for (const [name, independent] of [
      ['Zoé Martin', true],
      ['Amaury Leroy', false],
    ] as const) {
      const { jurorId } = await post('/jurors', bretagne, { name, independent });
      await post(`/jurors/${jurorId}/habilitations`, bretagne, { rncp: RNCP, validUntil: '2027-12-31' });
      jurors.push(jurorId);
    }
    await post('/jurors', bretagne, { name: 'Sans Habilitation' });
    candidates = [];
    for (const [familyName, givenNames] of [
      ['Éluard', 'Paul'],
      ['Durand', 'Léa'],
    ]) {
      const { candidateId } = await post('/candidates', ['centre', centreId], { familyName, givenNames, birthDate: '1990-04-02' });
      candidates.push(candidateId);
    }
    await post('/candidates', ['centre', otherCentre], { familyName: 'Autre', givenNames: 'Centre', birthDate: '1990-04-02' });
    ({ sessionId } = await post('/sessions', ['centre', centreId], { rncp: RNCP, kind: 'titre', centreId, startsOn: '2025-10-06', endsOn: '2025-10-08' }));
    await call('PUT', `/sessions/${sessionId}/jury`, ['centre', centreId], { members: jurors });
    await post(`/sessions/${sessionId}/enrolments`, ['centre', centreId], { candidateId: candidates[0], route: 'formation_continue' });
    await h.settle();
    const models = h.deps.readModels as ReadModelStore;
    const query = models.query.bind(models);
    models.query = async <T>(partition: string) => {
      queried.push(partition);
      return query<T>(partition);
    };
  });

  it('GET /centres: a DREETS agent sees its region’s centres by name; the ministry a region or all', async () => {
    expect((await call('GET', '/centres', bretagne)).json).toEqual([{ centreId, name: 'AFPA Rennes', region: 'Bretagne' }]);
    expect((await call('GET', '/centres', normandie)).json).toEqual([{ centreId: otherCentre, name: 'Greta Caen', region: 'Normandie' }]);
    expect((await call('GET', '/centres?region=Normandie', ['ministry', 'm-1'])).json.map((c: { name: string }) => c.name)).toEqual(['Greta Caen']);
    expect((await call('GET', '/centres', ['ministry', 'm-1'])).json.map((c: { name: string }) => c.name)).toEqual(['AFPA Rennes', 'Greta Caen']);
    expect((await call('GET', '/centres?region=Normandie', bretagne)).json.type).toBe('/problems/outside-territory');
    expect((await call('GET', '/centres?region=bretagne', ['ministry', 'm-1'])).status).toBe(400);
    expect((await call('GET', '/centres', ['centre', centreId])).status).toBe(403);
  });

  it('GET /centres/{centreId}: the centre and the DREETS see its agréments; another centre may not', async () => {
    const mine = await call('GET', `/centres/${centreId}`, ['centre', centreId]);
    expect(mine.json).toEqual({ centreId, name: 'AFPA Rennes', region: 'Bretagne', agrements: [{ rncp: RNCP, validFrom: expect.any(String), validUntil: '2027-12-31' }] });
    expect((await call('GET', `/centres/${centreId}`, bretagne)).status).toBe(200);
    expect((await call('GET', `/centres/${centreId}`, ['centre', otherCentre])).json.type).toBe('/problems/not-your-centre');
    expect((await call('GET', '/centres/unknown', bretagne)).status).toBe(404);
  });

  it('GET /centres/{centreId}/candidates: the centre’s own candidates by name, each read in their access log', async () => {
    const res = await call('GET', `/centres/${centreId}/candidates`, ['centre', centreId]);
    expect(res.json).toEqual([
      { candidateId: candidates[1], familyName: 'Durand', givenNames: 'Léa' },
      { candidateId: candidates[0], familyName: 'Éluard', givenNames: 'Paul' },
    ]);
    expect((await call('GET', `/centres/${centreId}/candidates`, ['centre', otherCentre])).status).toBe(403);
    const log = await call('GET', `/candidates/${candidates[1]}/access-log`, ['candidate', candidates[1]!]);
    expect(log.json).toEqual([{ at: expect.any(String), purpose: 'centre-candidates', reader: { role: 'centre', id: centreId, name: 'AFPA Rennes' } }]);
    expect((await call('GET', `/candidates/${candidates[1]}/access-log`, ['candidate', candidates[0]!])).status).toBe(403);
  });

  it('GET /jurors?rncp=: the habilitated jurors by name with their windows, for the DREETS and the centres', async () => {
    const res = await call('GET', `/jurors?rncp=${RNCP}`, ['centre', centreId]);
    expect(res.json).toEqual([
      { jurorId: jurors[1], name: 'Amaury Leroy', independent: false, habilitations: [{ rncp: RNCP, validFrom: expect.any(String), validUntil: '2027-12-31' }] },
      { jurorId: jurors[0], name: 'Zoé Martin', independent: true, habilitations: [{ rncp: RNCP, validFrom: expect.any(String), validUntil: '2027-12-31' }] },
    ]);
    expect((await call('GET', '/jurors?rncp=RNCP32340', bretagne)).json).toEqual([]);
    expect((await call('GET', '/jurors', bretagne)).status).toBe(400);
    expect((await call('GET', `/jurors?rncp=${RNCP}`, ['juror', jurors[0]!])).status).toBe(403);
  });

  it('GET /jurors/{jurorId}/sessions: the juror’s sessions with their centre’s name; nobody else’s', async () => {
    const res = await call('GET', `/jurors/${jurors[0]}/sessions`, ['juror', jurors[0]!]);
    expect(res.json).toEqual([{ sessionId, rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-08', pv: 'open', centre: { centreId, name: 'AFPA Rennes' } }]);
    expect((await call('GET', `/jurors/${jurors[0]}/sessions`, ['juror', jurors[1]!])).json.type).toBe('/problems/not-your-sessions');
  });

  it('GET /sessions/{sessionId}: the centre, its jurors and the DREETS see candidates’ and jurors’ names, and the read is logged', async () => {
    for (const as of [['centre', centreId], ['juror', jurors[1]!], bretagne] as Call['as'][]) {
      const view = (await call('GET', `/sessions/${sessionId}`, as)).json;
      expect(view.candidates).toEqual([expect.objectContaining({ candidateId: candidates[0], familyName: 'Éluard', givenNames: 'Paul' })]);
      expect(view.jury.map((m: { name: string }) => m.name)).toEqual(['Zoé Martin', 'Amaury Leroy']);
    }
    const log = (await call('GET', `/candidates/${candidates[0]}/access-log`, ['candidate', candidates[0]!])).json;
    expect(
      log
        .filter((r: { purpose: string }) => r.purpose === 'session')
        .map((r: { reader: { role: string } }) => r.reader.role)
        .sort(),
    ).toEqual(['centre', 'dreets', 'juror']);
  });

  it('no list reads a whole model: each is one partition (model#subject)', () => {
    expect(queried.length).toBeGreaterThan(0);
    for (const partition of queried) expect(partition).toMatch(/^[a-z][a-z-]*#[^#]+$/);
  });

  it('GET /candidates/{id}/record: the candidate sees their own name (not logged); their centre’s read is logged', async () => {
    const own = await call('GET', `/candidates/${candidates[1]}/record`, ['candidate', candidates[1]!]);
    expect(own.json.person).toEqual({ familyName: 'Durand', givenNames: 'Léa' });
    const before = (await call('GET', `/candidates/${candidates[1]}/access-log`, ['candidate', candidates[1]!])).json.length;
    expect((await call('GET', `/candidates/${candidates[1]}/record`, ['centre', centreId])).json.person).toEqual({ familyName: 'Durand', givenNames: 'Léa' });
    const after = (await call('GET', `/candidates/${candidates[1]}/access-log`, ['candidate', candidates[1]!])).json;
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ purpose: 'record', reader: { role: 'centre', id: centreId } });
  });
});
