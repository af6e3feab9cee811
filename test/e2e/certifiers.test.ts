import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, type As, type Caller } from '../support/scenario.js';
import { eventually } from '../support/eventually.js';
import { startLedgerTarget, TARGET, type HttpLedger } from '../support/ledger-target.js';

const RNCP = 'RNCP38665';
/** What the ledger does after an answer (projections, the session workflow) takes longer on the twin: functions in processes of their own. */
const WAIT = TARGET === 'twin' ? 90_000 : 30_000;

describe(`certifiers, through HTTP only, on the ${TARGET} target`, () => {
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

  it('a titre session with 2 jurors and 3 candidates: titre, partial BC01, ajourné', async () => {
    const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
    const jurors = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
    const blocs = await s.blocs(RNCP);
    const [titre, partial, ajourne] = [await s.candidate(centreId, 'Moreau'), await s.candidate(centreId, 'Petit'), await s.candidate(centreId, 'Lambert')];
    const sessionId = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-07' }, jurors);
    for (const k of [titre, partial, ajourne]) await s.enrol(centreId, sessionId, k);
    await L.setClock('2025-10-07T14:00:00Z');
    await s.deliberate(sessionId, jurors, titre, 'titre', blocs, ['RNCP38665BC01', 'RNCP38665BC02']);
    await s.deliberate(sessionId, jurors, partial, 'ccp', blocs, ['RNCP38665BC01']);
    await s.deliberate(sessionId, jurors, ajourne, 'ajourne', blocs, []);

    // Nothing takes effect before the PV is validated.
    const before = await L.call('GET', `/candidates/${titre}/record`, { as: ['candidate', titre] });
    expect(before.json.certifications).toEqual([]);

    const { executionName } = await s.validatePv(sessionId);
    expect(executionName).toBe(`session-${sessionId}`);
    const titreRecord = await eventually(
      async () => {
        const r = await L.call('GET', `/candidates/${titre}/record`, { as: ['candidate', titre] });
        return r.json.certifications[0]?.titre?.certificateCode && r.json.certificates[0]?.status === 'valid' ? r.json : undefined;
      },
      'titre issued',
      WAIT,
    );
    expect(titreRecord.certifications[0]).toMatchObject({ rncp: RNCP, eligible: false, titre: { issuedAt: '2025-10-07' } });
    expect(titreRecord.certifications[0].blocs.map((b: { acquired: boolean }) => b.acquired)).toEqual([true, true]);
    expect(titreRecord.certificates).toEqual([expect.objectContaining({ kind: 'titre', rncp: RNCP, status: 'valid' })]);

    const partialRecord = await eventually(
      async () => {
        const r = (await L.call('GET', `/candidates/${partial}/record`, { as: ['centre', centreId] })).json;
        return r.certificates.length ? r : undefined;
      },
      'the CCP issued',
      WAIT,
    );
    expect(partialRecord.certifications[0]).toMatchObject({ rncp: RNCP, eligible: false, titre: null, missing: ['RNCP38665BC02'] });
    expect(partialRecord.certifications[0].blocs[0]).toMatchObject({
      code: 'RNCP38665BC01',
      acquired: true,
      acquiredAt: '2025-10-07',
      usableUntil: '2030-05-12',
      usable: true,
      via: { kind: 'session', sessionId },
    });
    expect(partialRecord.certificates).toEqual([expect.objectContaining({ kind: 'ccp', blocs: ['RNCP38665BC01'] })]);

    const ajourneRecord = (await L.call('GET', `/candidates/${ajourne}/record`, { as: ['dreets', 'agent-1'] })).json;
    expect(ajourneRecord.certifications).toEqual([]);
    const notes = await eventually(
      async () => {
        const n = (await L.call('GET', `/candidates/${ajourne}/notifications`, { as: ['candidate', ajourne] })).json;
        return n.length ? n : undefined;
      },
      'the ajourné candidate told',
      WAIT,
    );
    expect(notes).toEqual([expect.objectContaining({ kind: 'session-results', text: expect.stringContaining('ajourné') })]);

    const session = (await L.call('GET', `/sessions/${sessionId}`, { as: ['juror', jurors[0]!] })).json;
    expect(session.pv).toMatchObject({ status: 'validated' });

    // Another candidate may not read this record.
    expect((await L.call('GET', `/candidates/${titre}/record`, { as: ['candidate', partial] })).status).toBe(403);
  }, 300_000);

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
    const { centreId } = (await call('POST', '/centres', { as: ['dreets', 'agent-1'], body: { name: 'Sans agrément', region: 'Occitanie' } })).json;
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
});
