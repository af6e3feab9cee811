import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { scenario, type As, type Caller } from '../support/scenario.js';
import { startLedgerTarget, TARGET, type HttpLedger } from '../support/ledger-target.js';

const RNCP = 'RNCP38665';
/**
 * The certifiers' refusals, each naming its rule, through HTTP only on the target LEDGER_TARGET names (the problem
 * types as API Gateway hands them back on the twin). Their journey to a validated PV, and the appeal, are in
 * journeys.test.ts, on both targets too.
 */
describe(`certifiers' refusals, through HTTP only, on the ${TARGET} target`, () => {
  let L: HttpLedger;
  let call: Caller;
  let s: ReturnType<typeof scenario>;
  beforeAll(async () => {
    L = await startLedgerTarget({ clock: 'virtual:2025-09-01T08:00:00Z' });
    call = (method, path, opts = {}) => L.call(method, path, { ...opts, ...(opts.as ? { as: opts.as } : {}) });
    s = scenario(call);
  }, 600_000);
  afterAll(async () => L?.stop());

  const refused = async (res: { status: number; json: any; text: string }, code: string) => {
    expect(res.status, res.text).toBe(422);
    expect(res.json.type).toBe(`/problems/${code}`);
  };

  it('refuses, with the rule named: a jury of one', async () => {
    const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
    const [juror] = await s.jurors(RNCP, 1, { validUntil: '2027-12-31' });
    const { sessionId } = (
      await call('POST', '/sessions', { as: ['centre', centreId], body: { rncp: RNCP, kind: 'titre', centreId, startsOn: '2025-11-03', endsOn: '2025-11-03' } })
    ).json;
    await refused(await call('PUT', `/sessions/${sessionId}/jury`, { as: ['centre', centreId], body: { members: [juror] } }), 'jury-too-small');
  });

  it('refuses a juror not habilitated, or whose habilitation ends before the session ends', async () => {
    const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
    const habilitated = await s.jurors(RNCP, 1, { validUntil: '2027-12-31' });
    const other = await s.jurors('RNCP32340', 1, { validUntil: '2024-05-11', validFrom: '2019-07-01' }).catch(() => [] as string[]);
    const { jurorId: bare } = (await call('POST', '/jurors', { as: ['dreets', 'agent-1'], body: { name: 'Sans habilitation' } })).json;
    const short = await s.jurors(RNCP, 1, { validUntil: '2025-11-04' });
    const { sessionId } = (
      await call('POST', '/sessions', { as: ['centre', centreId], body: { rncp: RNCP, kind: 'titre', centreId, startsOn: '2025-11-03', endsOn: '2025-11-05' } })
    ).json;
    await refused(await call('PUT', `/sessions/${sessionId}/jury`, { as: ['centre', centreId], body: { members: [...habilitated, bare] } }), 'juror-not-habilitated');
    await refused(await call('PUT', `/sessions/${sessionId}/jury`, { as: ['centre', centreId], body: { members: [...habilitated, ...short] } }), 'juror-not-habilitated');
    if (other.length)
      await refused(await call('PUT', `/sessions/${sessionId}/jury`, { as: ['centre', centreId], body: { members: [...habilitated, ...other] } }), 'juror-not-habilitated');
  });

  it('refuses a session at a centre without agrément', async () => {
    const { centreId } = (await call('POST', '/centres', { as: ['dreets', 'agent-1', 'Occitanie'], body: { name: 'Sans agrément', region: 'Occitanie' } })).json;
    await refused(
      await call('POST', '/sessions', { as: ['centre', centreId], body: { rncp: RNCP, kind: 'titre', centreId, startsOn: '2025-11-03', endsOn: '2025-11-03' } }),
      'centre-not-agreed',
    );
  });

  it('refuses candidature_individuelle for RNCP38665', async () => {
    const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
    const jurors = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
    const sessionId = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-11-03', endsOn: '2025-11-03' }, jurors);
    const candidateId = await s.candidate(centreId, 'Libre');
    await refused(
      await call('POST', `/sessions/${sessionId}/enrolments`, { as: ['centre', centreId], body: { candidateId, route: 'candidature_individuelle' } }),
      'route-not-allowed',
    );
  });

  it('refuses a recused juror assessing the candidate they know', async () => {
    const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
    const jurors = await s.jurors(RNCP, 3, { validUntil: '2027-12-31' });
    const sessionId = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-11-10', endsOn: '2025-11-10' }, jurors);
    const candidateId = await s.candidate(centreId, 'Connu');
    await s.enrol(centreId, sessionId, candidateId);
    const recuser: As = ['juror', jurors[2]!];
    expect((await call('POST', `/sessions/${sessionId}/recusals`, { as: recuser, body: { candidateId, reason: 'ancien collègue' } })).status).toBe(201);
    await L.setClock('2025-11-10T09:00:00Z');
    const blocs = await s.blocs(RNCP);
    await refused(
      await call('POST', `/sessions/${sessionId}/assessments`, {
        as: recuser,
        body: { candidateId, bloc: blocs[0]!.code, competences: blocs[0]!.competences.map((c) => ({ code: c.code, result: 'acquis' })) },
      }),
      'juror-recused',
    );
  });

  it('a candidate withdrawn from a titre session without a PV may enrol in another one (issue 17: the seat was kept)', async () => {
    const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
    const jurors = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
    const first = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2026-03-02', endsOn: '2026-03-04' }, jurors);
    const second = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2026-04-06', endsOn: '2026-04-08' }, jurors);
    const candidateId = await s.candidate(centreId, 'Désistée');
    const asCentre: As = ['centre', centreId];
    const body = { candidateId, route: 'formation_continue' };
    expect((await call('POST', `/sessions/${first}/enrolments`, { as: asCentre, body })).status).toBe(201);
    const held = await call('POST', `/sessions/${second}/enrolments`, { as: asCentre, body });
    expect(held.status, held.text).toBe(409);
    expect(held.json.type).toBe('/problems/already-sitting-titre-session');
    // The centre withdraws the candidate (or abandons the session): no PV will decide for them there.
    const withdrawn = await call('DELETE', `/sessions/${first}/enrolments/${candidateId}`, { as: asCentre });
    expect(withdrawn.status, withdrawn.text).toBe(204);
    const enrolled = await call('POST', `/sessions/${second}/enrolments`, { as: asCentre, body });
    expect(enrolled.status, enrolled.text).toBe(201);
    // The session's read model follows the change feed (on the twin, the Streams consumer): it drops the candidate.
    await eventually(async () => {
      const overview = await call('GET', `/sessions/${first}`, { as: asCentre });
      // Not projected yet: on a loaded twin the Streams consumer may still be behind the session's own scheduling.
      if (overview.status === 404) return false;
      expect(overview.status, overview.text).toBe(200);
      return !overview.json.candidates.some((c: { candidateId: string }) => c.candidateId === candidateId);
    }, 'the withdrawn candidate leaves the session overview');
  });
});
