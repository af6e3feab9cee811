import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jurorStream } from '../../domain/juror.js';
import { sessionStream } from '../../domain/session.js';
import { candidateStream } from '../../domain/candidate.js';
import { ensureEventsTable } from '../../functions/adapters/dynamodb-event-store.js';
import { CommandHandler } from '../../functions/shared/command-handler.js';
import { conflict } from '../../domain/errors.js';
import type { LedgerDeps } from '../../functions/shared/deps.js';
import { callRoute, commitCount, type Call } from '../support/call-route.js';
import { startDynalite } from '../support/dynalite.js';
import { memoryDeps, type TestClock } from '../support/memory-deps.js';

const RNCP = 'RNCP38665';
const BC01 = 'RNCP38665BC01';
const BC02 = 'RNCP38665BC02';
const STARTS = '2025-10-06';
const ENDS = '2025-10-08';
/** The DREETS agent of the region of the centres below (territorial competence, DESIGN.md rule 16). */
const agent: Call['as'] = ['dreets', 'agent-1', 'Hauts-de-France'];

type Harness = { deps: LedgerDeps; clock: TestClock; settle: () => Promise<void> };

/** A small client over the route manifest: `api.post(path, body, as)` and friends, with a refusal helper. */
function client(h: Harness) {
  const call = (method: string, path: string, as: Call['as'], body?: unknown, headers?: Record<string, string>) => callRoute(h.deps, method, path, { as, body, headers });
  return {
    call,
    post: (path: string, as: Call['as'], body?: unknown) => call('POST', path, as, body),
    put: (path: string, as: Call['as'], body?: unknown) => call('PUT', path, as, body),
    async get(path: string, as: Call['as']) {
      await h.settle();
      return call('GET', path, as);
    },
    /** The request is refused with this status and problem type, and the ledger does not move. */
    async refused(method: string, path: string, as: Call['as'], body: unknown, status: number, code: string) {
      await h.settle();
      const before = await commitCount(h.deps);
      const res = await call(method, path, as, body);
      expect(res.status, res.text).toBe(status);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.json.type).toBe(`/problems/${code}`);
      expect(await commitCount(h.deps)).toBe(before);
      return res;
    },
  };
}

/** Through the API only: a centre with an agrément for RNCP38665, habilitated jurors, registered candidates. */
async function referentialWorld(h: Harness, jurorCount = 2) {
  const api = client(h);
  const centre = await api.post('/centres', agent, { name: 'AFPA Roubaix', region: 'Hauts-de-France' });
  expect(centre.status, centre.text).toBe(201);
  const centreId: string = centre.json.centreId;
  const agreed = await api.post(`/centres/${centreId}/agrements`, agent, { rncp: RNCP, validUntil: '2027-12-31' });
  expect(agreed.status, agreed.text).toBe(201);
  const jurors: string[] = [];
  for (let i = 0; i < jurorCount; i++) {
    const juror = await api.post('/jurors', agent, { name: `Juror ${i}`, independent: i === 0 });
    expect(juror.status, juror.text).toBe(201);
    const hab = await api.post(`/jurors/${juror.json.jurorId}/habilitations`, agent, { rncp: RNCP, validUntil: '2027-12-31' });
    expect(hab.status, hab.text).toBe(201);
    jurors.push(juror.json.jurorId);
  }
  const asCentre: Call['as'] = ['centre', centreId];
  const candidates: string[] = [];
  for (const familyName of ['Titre', 'Partiel', 'Ajourne']) {
    const res = await api.post('/candidates', asCentre, { familyName, givenNames: 'Camille', birthDate: '1990-04-02' });
    expect(res.status, res.text).toBe(201);
    candidates.push(res.json.candidateId);
  }
  return { api, centreId, asCentre, jurors, candidates, asJuror: (i: number): Call['as'] => ['juror', jurors[i]!] };
}

/** A titre session with its jury and three enrolled candidates, the clock on its first day. */
async function readySession(h: Harness, jurorCount = 2) {
  const world = await referentialWorld(h, jurorCount);
  const { api, centreId, asCentre, jurors, candidates } = world;
  const scheduled = await api.post('/sessions', asCentre, { rncp: RNCP, kind: 'titre', centreId, startsOn: STARTS, endsOn: ENDS });
  expect(scheduled.status, scheduled.text).toBe(201);
  const sessionId: string = scheduled.json.sessionId;
  const jury = await api.put(`/sessions/${sessionId}/jury`, asCentre, { members: jurors });
  expect(jury.status, jury.text).toBe(200);
  for (const candidateId of candidates) {
    const res = await api.post(`/sessions/${sessionId}/enrolments`, asCentre, { candidateId, route: 'formation_continue' });
    expect(res.status, res.text).toBe(201);
  }
  h.clock.set(`${STARTS}T08:00:00Z`);
  return { ...world, sessionId, path: `/sessions/${sessionId}` };
}

describe('sessions through the route manifest', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await memoryDeps();
  });

  it('a titre session of RNCP38665 with 2 jurors and 3 candidates goes up to PV validation', async () => {
    const { api, asCentre, asJuror, candidates, jurors, sessionId, path } = await readySession(h);
    const [titre, partial, ajourne] = candidates as [string, string, string];

    const results = (code: string, n: number, result: 'acquis' | 'non_acquis') => Array.from({ length: n }, (_, i) => ({ code: `${code}C${i + 1}`, result }));
    const assessments = [
      { candidateId: titre, bloc: BC01, competences: results(BC01, 3, 'acquis') },
      { candidateId: titre, bloc: BC02, competences: results(BC02, 4, 'acquis') },
      { candidateId: partial, bloc: BC01, competences: results(BC01, 3, 'acquis') },
      { candidateId: partial, bloc: BC02, competences: results(BC02, 4, 'non_acquis') },
      { candidateId: ajourne, bloc: BC01, competences: results(BC01, 3, 'non_acquis') },
    ];
    for (const juror of [0, 1]) {
      for (const a of assessments) {
        const res = await api.post(`${path}/assessments`, asJuror(juror), a);
        expect(res.status, res.text).toBe(201);
      }
    }

    const decisions = [
      { candidateId: titre, outcome: 'titre', blocs: [BC01, BC02], finalInterviewHeld: true, dossierProfessionnel: 'presented' },
      { candidateId: partial, outcome: 'ccp', blocs: [BC01] },
      { candidateId: ajourne, outcome: 'ajourne', blocs: [] },
    ];
    // A titre rests on the dossier professionnel: the jury saying it was missing refuses the titre (rule 17).
    await api.refused('POST', `${path}/deliberations`, asJuror(0), { ...decisions[0], dossierProfessionnel: 'missing' }, 422, 'dossier-professionnel-missing');
    for (const d of decisions) {
      const proposed = await api.post(`${path}/deliberations`, asJuror(0), d);
      expect(proposed.status, proposed.text).toBe(201);
      expect(proposed.json).toMatchObject({ candidateId: d.candidateId, final: false, signedBy: [jurors[0]] });
      const signed = await api.post(`${path}/deliberations/${d.candidateId}/signatures`, asJuror(1));
      expect(signed.status, signed.text).toBe(201);
      expect(signed.json).toMatchObject({ final: true, signedBy: [jurors[0], jurors[1]] });
    }

    await api.refused('POST', `${path}/pv-validation`, agent, undefined, 422, 'session-not-ended');
    h.clock.set(`${ENDS}T16:00:00Z`);
    const validated = await api.post(`${path}/pv-validation`, agent);
    expect(validated.status, validated.text).toBe(202);
    expect(validated.json).toEqual({ executionName: `session-${sessionId}` });
    await h.settle(); // the session workflow runs to its end

    // Validating twice appends nothing and names the same execution.
    const before = await commitCount(h.deps);
    const again = await api.post(`${path}/pv-validation`, agent);
    expect(again.status).toBe(202);
    expect(again.json).toEqual(validated.json);
    await h.settle();
    expect(await commitCount(h.deps)).toBe(before);

    const view = await api.get(path, asCentre);
    expect(view.status, view.text).toBe(200);
    expect(view.json).toMatchObject({
      sessionId,
      rncp: RNCP,
      kind: 'titre',
      blocs: [BC01, BC02],
      startsOn: STARTS,
      endsOn: ENDS,
      jury: [
        { jurorId: jurors[0], independent: true },
        { jurorId: jurors[1], independent: false },
      ],
      pv: { status: 'validated', validatedBy: 'agent-1', validatedOn: ENDS },
      annulments: [],
    });
    expect(view.json.candidates.map((c: any) => [c.candidateId, c.route, c.blocs])).toEqual(candidates.map((id) => [id, 'formation_continue', [BC01, BC02]]));
    expect(view.json.assessments).toHaveLength(10);
    expect(view.json.deliberations.map((d: any) => [d.candidateId, d.outcome, d.blocs, d.final, d.signatures.length])).toEqual([
      [titre, 'titre', [BC01, BC02], true, 2],
      [partial, 'ccp', [BC01], true, 2],
      [ajourne, 'ajourne', [], true, 2],
    ]);
    // The jury's statement on the dossier professionnel is shown where it made one.
    expect(view.json.deliberations.map((d: any) => d.dossierProfessionnel)).toEqual(['presented', undefined, undefined]);
    const slice = await h.deps.store.read(sessionStream(sessionId));
    expect(view.json.position).toBe(slice.version);

    // Every juror of the jury and the DREETS see it too.
    expect((await api.get(path, asJuror(1))).status).toBe(200);
    expect((await api.get(path, agent)).status).toBe(200);

    // Nothing changes after the PV but an annulment.
    await api.refused('POST', `${path}/deliberations/${titre}/signatures`, asJuror(0), undefined, 422, 'session-closed');
    await api.refused('PUT', `${path}/jury`, asCentre, { members: [jurors[0]] }, 422, 'session-closed');
  });

  it('the jury’s reason for overriding its grids goes to the candidate’s vault: the proposal carries its note, erased with the person', async () => {
    const { api, asJuror, candidates, sessionId, path } = await readySession(h);
    const candidateId = candidates[0]!;
    const short = { candidateId, bloc: BC01, competences: [1, 2, 3].map((i) => ({ code: `${BC01}C${i}`, result: 'non_acquis' })) };
    for (const juror of [0, 1]) expect((await api.post(`${path}/assessments`, asJuror(juror), short)).status).toBe(201);
    const reason = 'Mme Dupont, malade le jour de l’épreuve, a montré la compétence à l’entretien';
    const proposed = await api.post(`${path}/deliberations`, asJuror(0), { candidateId, outcome: 'ccp', blocs: [BC01], assessmentsOverridden: reason });
    expect(proposed.status, proposed.text).toBe(201);
    const { commits } = await h.deps.store.read(sessionStream(sessionId));
    const proposal = commits.flatMap((c) => c.events).find((e) => e.type === 'DeliberationProposed')!;
    expect(proposal.schemaVersion).toBe(3);
    expect(proposal.data).toMatchObject({ assessmentsOverridden: { blocs: [BC01], note: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    expect(JSON.stringify(commits)).not.toContain('Dupont');
    const note = (proposal.data as { assessmentsOverridden: { note: string } }).assessmentsOverridden.note;
    expect((await h.deps.vault.get(candidateId))?.notes?.[`decision:${note}`]).toBe(JSON.stringify({ reason }));
    await h.deps.vault.forget(candidateId);
    expect(await h.deps.vault.get(candidateId)).toBeUndefined();
  });

  it('a juror’s name goes to the vault, never into the ledger', async () => {
    const api = client(h);
    const res = await api.post('/jurors', agent, { name: 'Claire Martin', independent: true });
    expect(res.status).toBe(201);
    const { jurorId } = res.json;
    expect(await h.deps.vault.get(jurorId)).toMatchObject({ name: 'Claire Martin' });
    const { commits } = await h.deps.store.read(jurorStream(jurorId));
    expect(commits[0]!.events[0]).toMatchObject({ type: 'JurorRegistered', data: { jurorId, independent: true } });
    expect(JSON.stringify(commits)).not.toContain('Claire');
  });

  it('an agrément and a habilitation start today unless told otherwise', async () => {
    const { api, centreId, jurors } = await referentialWorld(h, 1);
    const agrement = await api.post(`/centres/${centreId}/agrements`, agent, { rncp: 'SEED004', validUntil: '2026-06-30' });
    expect(agrement.json).toEqual({ centreId, rncp: 'SEED004', validFrom: '2025-09-01', validUntil: '2026-06-30' });
    const hab = await api.post(`/jurors/${jurors[0]}/habilitations`, agent, { rncp: 'SEED004', validFrom: '2025-10-01', validUntil: '2026-06-30' });
    expect(hab.json).toEqual({ jurorId: jurors[0], rncp: 'SEED004', validFrom: '2025-10-01', validUntil: '2026-06-30' });
  });

  it('an Idempotency-Key replay of POST /centres returns the same centreId and appends nothing more', async () => {
    const api = client(h);
    const body = { name: 'GRETA Lille', region: 'Hauts-de-France' };
    const first = await api.call('POST', '/centres', agent, body, { 'Idempotency-Key': 'centre-greta-1' });
    const before = await commitCount(h.deps);
    const second = await api.call('POST', '/centres', agent, body, { 'Idempotency-Key': 'centre-greta-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json.centreId).toBe(first.json.centreId);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await commitCount(h.deps)).toBe(before);
    const other = await api.call('POST', '/centres', agent, body, { 'Idempotency-Key': 'centre-greta-2' });
    expect(other.json.centreId).not.toBe(first.json.centreId);
  });

  it('an annulment by the DREETS is recorded after PV validation and shown in the session', async () => {
    const { api, asCentre, asJuror, candidates, path } = await readySession(h);
    await api.refused('POST', `${path}/deliberations/${candidates[0]}/annulment`, agent, { reason: 'appeal', legalBasis: 'R335-10' }, 422, 'pv-not-validated');
    for (const candidateId of candidates) {
      expect((await api.post(`${path}/deliberations`, asJuror(0), { candidateId, outcome: 'absent', blocs: [] })).status).toBe(201);
      expect((await api.post(`${path}/deliberations/${candidateId}/signatures`, asJuror(1))).status).toBe(201);
    }
    h.clock.set(`${ENDS}T16:00:00Z`);
    expect((await api.post(`${path}/pv-validation`, agent)).status).toBe(202);
    const body = { reason: 'the candidate was present: attendance sheet', legalBasis: 'Code des relations entre le public et l’administration, art. L242-1' };
    await api.refused('POST', `${path}/deliberations/${candidates[0]}/annulment`, asCentre, body, 403, 'forbidden');
    const annulled = await api.post(`${path}/deliberations/${candidates[0]}/annulment`, agent, body);
    expect(annulled.status, annulled.text).toBe(201);
    const view = await api.get(path, agent);
    expect(view.json.annulments).toMatchObject([{ candidateId: candidates[0], ...body, annulledBy: 'agent-1' }]);
    expect(view.json.deliberations.find((d: any) => d.candidateId === candidates[0]).annulled).toBe(true);
    await api.refused('POST', `${path}/deliberations/nobody/annulment`, agent, body, 404, 'deliberation-not-found');
  });
});

describe('refusals answer their status and problem type, and append nothing', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await memoryDeps();
  });

  it('a jury of one (jury-too-small)', async () => {
    const { api, centreId, asCentre, jurors } = await referentialWorld(h);
    const { json } = await api.post('/sessions', asCentre, { rncp: RNCP, kind: 'titre', centreId, startsOn: STARTS, endsOn: ENDS });
    await api.refused('PUT', `/sessions/${json.sessionId}/jury`, asCentre, { members: [jurors[0]] }, 422, 'jury-too-small');
  });

  it('a juror without habilitation, or whose habilitation ends before the session ends (juror-not-habilitated)', async () => {
    const { api, centreId, asCentre, jurors } = await referentialWorld(h);
    const { json } = await api.post('/sessions', asCentre, { rncp: RNCP, kind: 'titre', centreId, startsOn: STARTS, endsOn: ENDS });
    const bare = (await api.post('/jurors', agent, { name: 'Sans Habilitation' })).json.jurorId;
    await api.refused('PUT', `/sessions/${json.sessionId}/jury`, asCentre, { members: [jurors[0], bare] }, 422, 'juror-not-habilitated');
    expect((await api.post(`/jurors/${bare}/habilitations`, agent, { rncp: RNCP, validUntil: '2025-10-07' })).status).toBe(201);
    await api.refused('PUT', `/sessions/${json.sessionId}/jury`, asCentre, { members: [jurors[0], bare] }, 422, 'juror-not-habilitated');
  });

  it('a centre without agrément (centre-not-agreed)', async () => {
    const api = client(h);
    const { centreId } = (await api.post('/centres', agent, { name: 'Sans Agrément', region: 'Hauts-de-France' })).json;
    await api.refused('POST', '/sessions', ['centre', centreId], { rncp: RNCP, kind: 'titre', centreId, startsOn: STARTS, endsOn: ENDS }, 422, 'centre-not-agreed');
  });

  it('an agrément beyond the version and its grace year (agrement-beyond-version), or outside the agent’s region (outside-territory)', async () => {
    const { api, centreId } = await referentialWorld(h, 0);
    // RNCP38665 ends on 2029-05-12; its agréments may run through the grace year (referential assumption), not beyond.
    await api.refused('POST', `/centres/${centreId}/agrements`, agent, { rncp: RNCP, validUntil: '2030-05-13' }, 422, 'agrement-beyond-version');
    await api.refused('POST', `/centres/${centreId}/agrements`, ['dreets', 'agent-2', 'Bretagne'], { rncp: RNCP, validUntil: '2027-12-31' }, 403, 'outside-territory');
    await api.refused('POST', `/centres/${centreId}/agrements`, ['dreets', 'agent-3'], { rncp: RNCP, validUntil: '2027-12-31' }, 403, 'outside-territory');
  });

  it('session dates outside the version (certification-not-valid-on-dates)', async () => {
    const { api, centreId, asCentre } = await referentialWorld(h, 0);
    await api.refused('POST', '/sessions', asCentre, { rncp: 'RNCP32340', kind: 'titre', centreId, startsOn: STARTS, endsOn: ENDS }, 422, 'certification-not-valid-on-dates');
  });

  it('candidature_individuelle for RNCP38665 (route-not-allowed)', async () => {
    const { api, path, asCentre } = await readySession(h);
    const { candidateId } = (await api.post('/candidates', asCentre, { familyName: 'Libre', givenNames: 'Alex', birthDate: '1985-01-01' })).json;
    h.clock.set('2025-09-02T08:00:00Z');
    await api.refused('POST', `${path}/enrolments`, asCentre, { candidateId, route: 'candidature_individuelle' }, 422, 'route-not-allowed');
  });

  it('an unknown candidate (candidate-not-found)', async () => {
    const { api, path, asCentre } = await readySession(h);
    await api.refused('POST', `${path}/enrolments`, asCentre, { candidateId: 'nobody', route: 'vae' }, 404, 'candidate-not-found');
  });

  it('a recused juror assessing (juror-recused), and a recusal leaving too few (jury-too-small-after-recusal)', async () => {
    const { api, path, asJuror, candidates } = await readySession(h, 3);
    const recusal = await api.post(`${path}/recusals`, asJuror(2), { candidateId: candidates[0], reason: 'former colleague' });
    expect(recusal.status, recusal.text).toBe(201);
    const assessment = { candidateId: candidates[0], bloc: BC01, competences: [{ code: 'RNCP38665BC01C1', result: 'acquis' }] };
    await api.refused('POST', `${path}/assessments`, asJuror(2), assessment, 422, 'juror-recused');
    // A second recusal is a fact too; what it refuses is a deliberation by the one juror left.
    expect((await api.post(`${path}/recusals`, asJuror(1), { candidateId: candidates[0], reason: 'neighbour' })).status).toBe(201);
    await api.refused('POST', `${path}/deliberations`, asJuror(0), { candidateId: candidates[0], outcome: 'ajourne', blocs: [] }, 422, 'jury-too-small-after-recusal');
    const view = await api.get(path, asJuror(0));
    expect(view.json.recusals).toMatchObject([
      { jurorId: view.json.jury[2].jurorId, candidateId: candidates[0], declaredBy: 'juror' },
      { jurorId: view.json.jury[1].jurorId, candidateId: candidates[0], declaredBy: 'juror' },
    ]);
    // The reason tells of the candidate's life: it is in their vault entry, not in the ledger or the view.
    expect(JSON.stringify(view.json)).not.toContain('former colleague');
    expect((await h.deps.vault.get(candidates[0]!))?.notes).toMatchObject({ [`recusal:${path.split('/')[2]}:${view.json.jury[2].jurorId}`]: 'former colleague' });
  });

  it('accommodations: the DREETS records them, the measures (health data) go to the vault only', async () => {
    const { api, path, asJuror, candidates } = await readySession(h, 2);
    const decided = await api.post(`${path}/accommodations`, agent, { candidateId: candidates[0], measures: 'tiers temps, salle au rez-de-chaussée' });
    expect(decided.status, decided.text).toBe(201);
    await api.refused('POST', `${path}/accommodations`, agent, { candidateId: 'nobody', measures: 'tiers temps' }, 422, 'candidate-not-enrolled');
    // The DREETS of another region decides nothing on this session (rule 16), and its measures reach no vault.
    await api.refused('POST', `${path}/accommodations`, ['dreets', 'agent-9', 'Occitanie'], { candidateId: candidates[1], measures: 'secrétaire' }, 403, 'outside-territory');
    expect(JSON.stringify((await h.deps.vault.get(candidates[1]!))?.notes ?? {})).not.toContain('secrétaire');
    const view = await api.get(path, asJuror(0));
    expect(view.json.accommodations).toMatchObject([{ candidateId: candidates[0] }]);
    expect(view.text).not.toContain('tiers temps');
    expect((await h.deps.vault.get(candidates[0]!))?.notes).toMatchObject({ [`accommodation:${path.split('/')[2]}`]: 'tiers temps, salle au rez-de-chaussée' });
  });

  it('the centre and the DREETS declare a recusal for a juror who assessed; the centre adds a juror for that candidate', async () => {
    const { api, path, asJuror, candidates, centreId } = await readySession(h, 2);
    const assessment = { candidateId: candidates[0], bloc: BC01, competences: [{ code: 'RNCP38665BC01C1', result: 'acquis' }] };
    for (const j of [0, 1]) expect((await api.post(`${path}/assessments`, asJuror(j), assessment)).status).toBe(201);
    const view = await api.get(path, asJuror(0));
    const [j0, j1] = view.json.jury.map((m: { jurorId: string }) => m.jurorId);
    await api.refused('POST', `${path}/recusals`, ['centre', centreId], { candidateId: candidates[0], reason: 'cousin' }, 422, 'recusal-names-juror');
    await api.refused('POST', `${path}/recusals`, ['centre', 'another-centre'], { candidateId: candidates[0], jurorId: j1, reason: 'cousin' }, 403, 'not-your-session');
    await api.refused('POST', `${path}/recusals`, asJuror(0), { candidateId: candidates[0], jurorId: j1, reason: 'cousin' }, 403, 'not-yourself');
    expect((await api.post(`${path}/recusals`, ['centre', centreId], { candidateId: candidates[0], jurorId: j1, reason: 'cousin' })).status).toBe(201);
    await api.refused(
      'POST',
      `${path}/recusals`,
      ['dreets', 'agent-9', 'Occitanie'],
      { candidateId: candidates[1], jurorId: j0, reason: 'former employer' },
      403,
      'outside-territory',
    );
    expect((await api.post(`${path}/recusals`, agent, { candidateId: candidates[1], jurorId: j0, reason: 'former employer' })).status).toBe(201);
    const after = await api.get(path, asJuror(0));
    expect(after.json.assessments.find((a: any) => a.jurorId === j1 && a.candidateId === candidates[0])).toMatchObject({ counts: false });
    expect(after.json.recusals.map((r: any) => r.declaredBy)).toEqual(['centre', 'dreets']);
    const { jurorId: j2 } = (await api.post('/jurors', agent, { name: 'Juré ajouté' })).json;
    expect((await api.post(`/jurors/${j2}/habilitations`, agent, { rncp: RNCP, validUntil: '2027-12-31' })).status).toBe(201);
    await api.refused('PUT', `${path}/jury`, ['centre', centreId], { members: [j2], candidateId: candidates[2] }, 422, 'jury-complete-for-candidate');
    const addition = await api.put(`${path}/jury`, ['centre', centreId], { members: [j2], candidateId: candidates[0] });
    expect(addition.status, addition.text).toBe(200);
    expect(addition.json.members).toEqual([{ jurorId: j2, independent: false }]);
  });

  it('assessing a competence of another bloc (unknown-competence), or before the session starts (session-not-started)', async () => {
    const { api, path, asJuror, candidates } = await readySession(h);
    await api.refused(
      'POST',
      `${path}/assessments`,
      asJuror(0),
      { candidateId: candidates[0], bloc: BC01, competences: [{ code: 'RNCP38665BC02C1', result: 'acquis' }] },
      422,
      'unknown-competence',
    );
    h.clock.set('2025-10-05T20:00:00Z');
    await api.refused(
      'POST',
      `${path}/assessments`,
      asJuror(0),
      { candidateId: candidates[0], bloc: BC01, competences: [{ code: 'RNCP38665BC01C1', result: 'acquis' }] },
      422,
      'session-not-started',
    );
  });

  it('a titre without the entretien final (final-interview-required), and a second proposal (deliberation-already-proposed)', async () => {
    const { api, path, asJuror, candidates } = await readySession(h);
    await api.refused('POST', `${path}/deliberations`, asJuror(0), { candidateId: candidates[0], outcome: 'titre', blocs: [BC01, BC02] }, 422, 'final-interview-required');
    expect((await api.post(`${path}/deliberations`, asJuror(0), { candidateId: candidates[0], outcome: 'ajourne', blocs: [] })).status).toBe(201);
    await api.refused('POST', `${path}/deliberations`, asJuror(1), { candidateId: candidates[0], outcome: 'absent', blocs: [] }, 409, 'deliberation-already-proposed');
  });

  it('PV validation with deliberations pending (deliberations-incomplete)', async () => {
    const { api, path } = await readySession(h);
    h.clock.set(`${ENDS}T16:00:00Z`);
    await api.refused('POST', `${path}/pv-validation`, agent, undefined, 422, 'deliberations-incomplete');
  });

  it('an unknown session (session-not-found)', async () => {
    const { api, asCentre, asJuror } = await readySession(h);
    await api.refused('PUT', '/sessions/nope/jury', asCentre, { members: ['a', 'b'] }, 404, 'session-not-found');
    await api.refused('POST', '/sessions/nope/pv-validation', agent, undefined, 404, 'session-not-found');
    const view = await api.get('/sessions/nope', asJuror(0));
    expect(view.status).toBe(404);
  });
});

describe('roles and ownership', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await memoryDeps();
  });

  it('a route refuses the wrong role (403) and a missing token (401)', async () => {
    const { api, path, asCentre, asJuror, candidates } = await readySession(h);
    await api.refused('POST', '/centres', asCentre, { name: 'X', region: 'Y' }, 403, 'forbidden');
    await api.refused('POST', '/jurors', asJuror(0), { name: 'X' }, 403, 'forbidden');
    await api.refused('POST', `${path}/pv-validation`, asCentre, undefined, 403, 'forbidden');
    await api.refused('POST', `${path}/deliberations`, asCentre, { candidateId: candidates[0], outcome: 'ajourne', blocs: [] }, 403, 'forbidden');
    await api.refused('POST', `${path}/enrolments`, asJuror(0), { candidateId: candidates[0], route: 'vae' }, 403, 'forbidden');
    await api.refused('POST', '/centres', undefined, { name: 'X', region: 'Y' }, 401, 'unauthorized');
  });

  it('a centre schedules for itself only (not-your-centre)', async () => {
    const { api, centreId } = await referentialWorld(h, 0);
    await api.refused('POST', '/sessions', ['centre', 'another-centre'], { rncp: RNCP, kind: 'titre', centreId, startsOn: STARTS, endsOn: ENDS }, 403, 'not-your-centre');
  });

  it('a centre acts on its own sessions only (not-your-session)', async () => {
    const { api, path, jurors, candidates } = await readySession(h);
    const other: Call['as'] = ['centre', (await api.post('/centres', agent, { name: 'Autre', region: 'Hauts-de-France' })).json.centreId];
    await api.refused('PUT', `${path}/jury`, other, { members: jurors }, 403, 'not-your-session');
    await api.refused('POST', `${path}/enrolments`, other, { candidateId: candidates[0], route: 'vae' }, 403, 'not-your-session');
    await api.refused('GET', path, other, undefined, 403, 'not-your-session');
  });

  it('a juror acts only on sessions whose jury includes them (not-a-jury-member)', async () => {
    const { api, path, candidates } = await readySession(h);
    const outsider: Call['as'] = ['juror', (await api.post('/jurors', agent, { name: 'Hors Jury' })).json.jurorId];
    const assessment = { candidateId: candidates[0], bloc: BC01, competences: [{ code: 'RNCP38665BC01C1', result: 'acquis' }] };
    await api.refused('POST', `${path}/assessments`, outsider, assessment, 403, 'not-a-jury-member');
    await api.refused('POST', `${path}/deliberations`, outsider, { candidateId: candidates[0], outcome: 'ajourne', blocs: [] }, 403, 'not-a-jury-member');
    await api.refused('POST', `${path}/recusals`, outsider, { candidateId: candidates[0], reason: 'x' }, 403, 'not-a-jury-member');
    await api.refused('GET', path, outsider, undefined, 403, 'not-your-session');
  });
});

/** Two jurors post different deliberations for the same candidate at the same instant. */
async function raceProposals(h: Harness, second?: LedgerDeps) {
  const { path, asJuror, candidates, sessionId } = await readySession(h);
  const candidateId = candidates[0];
  const [a, b] = await Promise.all([
    callRoute(h.deps, 'POST', `${path}/deliberations`, { as: asJuror(0), body: { candidateId, outcome: 'ajourne', blocs: [] } }),
    callRoute(second ?? h.deps, 'POST', `${path}/deliberations`, { as: asJuror(1), body: { candidateId, outcome: 'absent', blocs: [] } }),
  ]);
  expect([a.status, b.status].sort()).toEqual([201, 409]);
  expect([a, b].find((r) => r.status === 409)!.json.type).toBe('/problems/deliberation-already-proposed');
  const { commits } = await h.deps.store.read(sessionStream(sessionId));
  const proposals = commits.flatMap((c) => c.events).filter((e) => e.type === 'DeliberationProposed');
  expect(proposals).toHaveLength(1);
}

describe('concurrent deliberations for one candidate: exactly one 201 and one 409, one proposal in the stream', () => {
  it('in memory, one process', async () => {
    const h = await memoryDeps();
    for (let round = 0; round < 5; round++) await raceProposals(h);
  });

  it('in memory, two Lambda instances with their own caches', async () => {
    const h = await memoryDeps();
    const second = { ...h.deps, commands: new CommandHandler(h.deps.store) };
    await raceProposals(h, second);
  });

  describe('on dynalite, two Lambda instances', () => {
    let dynamo: Awaited<ReturnType<typeof startDynalite>>;
    beforeAll(async () => {
      dynamo = await startDynalite();
    });
    afterAll(async () => {
      await dynamo?.stop();
    });

    it('one 201, one 409', async () => {
      const TableName = 'sessions-race';
      await ensureEventsTable(dynamo.client, TableName);
      const { deps, settle, clock, store } = await memoryDeps({ eventsTable: { endpoint: dynamo.endpoint, table: TableName } });
      const h: Harness = { deps, clock, settle };
      for (let round = 0; round < 3; round++) await raceProposals(h, { ...deps, commands: new CommandHandler(store) });
    });
  });
});

/** Two titre sessions of RNCP38665 at one centre, each with its jury, and one candidate enrolled in neither. */
async function twoTitreSessions(h: Harness) {
  const { api, centreId, asCentre, jurors, candidates } = await referentialWorld(h);
  const sessions: string[] = [];
  for (const [startsOn, endsOn] of [
    [STARTS, ENDS],
    ['2025-11-03', '2025-11-05'],
  ] as const) {
    const scheduled = await api.post('/sessions', asCentre, { rncp: RNCP, kind: 'titre', centreId, startsOn, endsOn });
    expect(scheduled.status, scheduled.text).toBe(201);
    expect((await api.put(`/sessions/${scheduled.json.sessionId}/jury`, asCentre, { members: jurors })).status).toBe(200);
    sessions.push(scheduled.json.sessionId);
  }
  return { api, asCentre, sessions: sessions as [string, string], candidateId: candidates[0]! };
}

/** The candidate enrolled in two titre sessions at once, through two instances: one 201 and one 409, one seat, one enrolment. */
async function raceEnrolments(h: Harness, second?: LedgerDeps) {
  const { asCentre, sessions, candidateId } = await twoTitreSessions(h);
  const body = { candidateId, route: 'formation_continue' };
  const [a, b] = await Promise.all([
    callRoute(h.deps, 'POST', `/sessions/${sessions[0]}/enrolments`, { as: asCentre, body }),
    callRoute(second ?? h.deps, 'POST', `/sessions/${sessions[1]}/enrolments`, { as: asCentre, body }),
  ]);
  expect([a.status, b.status].sort(), `${a.text} ${b.text}`).toEqual([201, 409]);
  expect([a, b].find((r) => r.status === 409)!.json.type).toBe('/problems/already-sitting-titre-session');
  const won = sessions[a.status === 201 ? 0 : 1];
  const typesIn = async (stream: string) => (await h.deps.store.read(stream)).commits.flatMap((c) => c.events).map((e) => e.type);
  // Nothing lost, nothing doubled: the seat and the enrolment at the session that won, nothing at the other.
  const seats = (await h.deps.store.read(candidateStream(candidateId))).commits.flatMap((c) => c.events).filter((e) => e.type.startsWith('TitreSitting'));
  expect(seats.map((e) => [e.type, (e.data as { sessionId: string }).sessionId])).toEqual([['TitreSittingReserved', won]]);
  expect((await typesIn(sessionStream(won!))).filter((t) => t === 'CandidateEnrolled')).toHaveLength(1);
  expect((await typesIn(sessionStream(sessions[a.status === 201 ? 1 : 0]))).filter((t) => t === 'CandidateEnrolled')).toHaveLength(0);
}

describe('concurrent enrolments of one candidate in two titre sessions of a version: exactly one 201 and one 409 (issue 17)', () => {
  it('in memory, one process', async () => {
    for (let round = 0; round < 3; round++) await raceEnrolments(await memoryDeps());
  });

  it('in memory, two Lambda instances with their own caches', async () => {
    const h = await memoryDeps();
    await raceEnrolments(h, { ...h.deps, commands: new CommandHandler(h.deps.store) });
  });

  it('one after the other: the same enrolment again is the same seat, the second session is refused and the ledger does not move', async () => {
    const h = await memoryDeps();
    const { api, asCentre, sessions, candidateId } = await twoTitreSessions(h);
    expect((await api.post(`/sessions/${sessions[0]}/enrolments`, asCentre, { candidateId, route: 'formation_continue' })).status).toBe(201);
    // The same enrolment again is the same seat: nothing more.
    expect((await api.post(`/sessions/${sessions[0]}/enrolments`, asCentre, { candidateId, route: 'formation_continue' })).status).toBe(201);
    await api.refused('POST', `/sessions/${sessions[1]}/enrolments`, asCentre, { candidateId, route: 'formation_continue' }, 409, 'already-sitting-titre-session');
  });

  describe('on dynalite, two Lambda instances', () => {
    let dynamo: Awaited<ReturnType<typeof startDynalite>>;
    beforeAll(async () => {
      dynamo = await startDynalite();
    });
    afterAll(async () => {
      await dynamo?.stop();
    });

    it('one 201, one 409', async () => {
      const TableName = 'enrolments-race';
      await ensureEventsTable(dynamo.client, TableName);
      const { deps, settle, clock, store } = await memoryDeps({ eventsTable: { endpoint: dynamo.endpoint, table: TableName } });
      await raceEnrolments({ deps, clock, settle }, { ...deps, commands: new CommandHandler(store) });
    });
  });
});

describe('the seat at a titre session is given back when the candidate will not sit it (issue 17)', () => {
  const seatsOf = async (h: Harness, candidateId: string) =>
    (await h.deps.store.read(candidateStream(candidateId))).commits
      .flatMap((c) => c.events)
      .filter((e) => e.type.startsWith('TitreSitting'))
      .map((e) => [e.type, (e.data as { sessionId: string }).sessionId]);

  it('a withdrawal (DELETE …/enrolments/{candidateId}) gives the seat back: the candidate enrols at the other titre session', async () => {
    const h = await memoryDeps();
    const { api, asCentre, sessions, candidateId } = await twoTitreSessions(h);
    const body = { candidateId, route: 'formation_continue' };
    expect((await api.post(`/sessions/${sessions[0]}/enrolments`, asCentre, body)).status).toBe(201);
    const withdrawn = await api.call('DELETE', `/sessions/${sessions[0]}/enrolments/${candidateId}`, asCentre);
    expect(withdrawn.status, withdrawn.text).toBe(204);
    // Again: withdrawn already, nothing more.
    expect((await api.call('DELETE', `/sessions/${sessions[0]}/enrolments/${candidateId}`, asCentre)).status).toBe(204);
    const enrolled = await api.post(`/sessions/${sessions[1]}/enrolments`, asCentre, body);
    expect(enrolled.status, enrolled.text).toBe(201);
    expect(await seatsOf(h, candidateId)).toEqual([
      ['TitreSittingReserved', sessions[0]],
      ['TitreSittingReleased', sessions[0]],
      ['TitreSittingReserved', sessions[1]],
    ]);
    const overview = await api.get(`/sessions/${sessions[0]}`, asCentre);
    expect(overview.json.candidates).toEqual([]);
  });

  it('another centre withdraws nobody, and a candidate the jury assessed keeps the seat until the PV decides', async () => {
    const h = await memoryDeps();
    const { api, asCentre, sessions, candidateId } = await twoTitreSessions(h);
    expect((await api.post(`/sessions/${sessions[0]}/enrolments`, asCentre, { candidateId, route: 'formation_continue' })).status).toBe(201);
    const other = await api.post('/centres', agent, { name: 'Autre centre', region: 'Hauts-de-France' });
    await api.refused('DELETE', `/sessions/${sessions[0]}/enrolments/${candidateId}`, ['centre', other.json.centreId], undefined, 403, 'not-your-session');
    const session = await api.get(`/sessions/${sessions[0]}`, asCentre);
    const jurorId = session.json.jury[0].jurorId;
    h.clock.set(`${STARTS}T09:00:00Z`);
    const competences = [{ code: `${BC01}C1`, result: 'acquis' }];
    const assessed = await api.post(`/sessions/${sessions[0]}/assessments`, ['juror', jurorId], { candidateId, bloc: BC01, competences });
    if (assessed.status !== 201) return expect.fail(`assessment refused: ${assessed.text}`);
    await api.refused('DELETE', `/sessions/${sessions[0]}/enrolments/${candidateId}`, asCentre, undefined, 409, 'candidate-already-assessed');
    expect(await seatsOf(h, candidateId)).toEqual([['TitreSittingReserved', sessions[0]]]);
  });

  it('an enrolment the session refuses after the seat was taken gives the seat back (the give-back path of enrol-candidate)', async () => {
    const h = await memoryDeps();
    const { api, asCentre, sessions, candidateId } = await twoTitreSessions(h);
    // The session changes between the handler's check and its append (another instance): its append is refused.
    const commands = h.deps.commands;
    let refuseOnce = true;
    const racingCommands = Object.create(commands) as CommandHandler;
    racingCommands.handle = ((decider, stream, command, ctx) => {
      if (refuseOnce && stream === sessionStream(sessions[0]) && (command as { type: string }).type === 'EnrolCandidate') {
        refuseOnce = false;
        return Promise.reject(conflict('candidate-already-enrolled', 'the session changed meanwhile'));
      }
      return commands.handle(decider, stream, command, ctx);
    }) as CommandHandler['handle'];
    const racing: LedgerDeps = { ...h.deps, commands: racingCommands };
    const body = { candidateId, route: 'formation_continue' };
    const lost = await callRoute(racing, 'POST', `/sessions/${sessions[0]}/enrolments`, { as: asCentre, body });
    expect(lost.status, lost.text).toBe(409);
    expect(await seatsOf(h, candidateId)).toEqual([
      ['TitreSittingReserved', sessions[0]],
      ['TitreSittingReleased', sessions[0]],
    ]);
    expect((await api.post(`/sessions/${sessions[1]}/enrolments`, asCentre, body)).status).toBe(201);
  });
});
