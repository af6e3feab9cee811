import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { scenario, type Caller } from '../support/scenario.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';

/**
 * The routes to the titre the law opens (arrêté du 22 décembre 2015, art. 1 and 3; règlement général des
 * sessions; the DREETS jurors' charter), walked through HTTP only against the local server on a virtual clock.
 *
 * Local only for now: it waits for the workflows with L.settle (the local runtime's), and on the twin its six
 * ledgers and eight sessions would take about ten minutes (a twin's start and a session's workflow each take tens
 * of seconds there), a third of CI's budget. The rules it walks are the deciders' (test/domain), the same code on
 * both targets; what the twin adds (Streams, state machines, schedules) journeys.test.ts covers.
 */
const callerOf =
  (L: LocalLedger): Caller =>
  (method, path, opts = {}) =>
    L.call(method, path, { as: opts.as as never, body: opts.body, headers: opts.headers });
const BC01 = 'RNCP38665BC01';
const BC02 = 'RNCP38665BC02';
const DREETS = ['dreets', 'agent-1', 'Bretagne'] as const;

const moveTo = async (L: LocalLedger, now: string) => expect((await L.call('POST', '/_local/clock', { body: { now } })).status).toBe(200);
const record = async (L: LocalLedger, candidateId: string) => {
  await L.settle();
  return (await L.call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] })).json;
};
const lineOf = (rec: any, rncp: string) => rec.certifications.find((c: any) => c.rncp === rncp);

/** A session of `kind` on `day` (PV validated that evening): the candidate sits `sat`, the jury decides `outcome` on `acquired`. */
async function sitting(
  L: LocalLedger,
  world: { centreId: string; jurors: string[] },
  candidateId: string,
  body: { rncp: string; kind: 'titre' | 'ccp'; blocs?: string[]; day: string; sat?: string[] },
  outcome: 'titre' | 'ccp' | 'ajourne',
  acquired: string[],
) {
  const s = scenario(callerOf(L));
  const all = await s.blocs(body.rncp);
  const sessionId = await s.session(
    world.centreId,
    { rncp: body.rncp, kind: body.kind, ...(body.blocs ? { blocs: body.blocs } : {}), startsOn: body.day, endsOn: body.day },
    world.jurors,
  );
  await s.enrol(world.centreId, sessionId, candidateId, 'formation_continue', body.sat);
  await moveTo(L, `${body.day}T15:00:00Z`);
  const sat = body.sat ?? body.blocs ?? all.map((b) => b.code);
  await s.deliberate(
    sessionId,
    world.jurors,
    candidateId,
    outcome,
    all.filter((b) => sat.includes(b.code)),
    acquired,
  );
  await s.validatePv(sessionId);
  await L.settle();
  return sessionId;
}

async function pdfText(L: LocalLedger, code: string) {
  const res = await fetch(`${L.url}/certificates/${code}/pdf`);
  expect(res.status).toBe(200);
  const file = join(mkdtempSync(join(tmpdir(), 'law-paths-')), 'c.pdf');
  writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

describe('the routes to the titre, through HTTP only', () => {
  const ledgers: LocalLedger[] = [];
  afterAll(async () => {
    for (const L of ledgers) await L.stop().catch(() => {});
  });
  const start = async (clock: string) => {
    const L = await startTestLedger({ clock: `virtual:${clock}` });
    ledgers.push(L);
    return L;
  };

  it('capitalisation at CCP sessions: BC01 in 2025, then the titre at the CCP session of BC02 in 2026, one titre certificate saying « par capitalisation »', async () => {
    const L = await start('2025-09-01T08:00:00Z');
    const s = scenario(callerOf(L));
    const rncp = 'RNCP38665';
    const centreId = await s.centre(rncp, { validUntil: '2029-05-12' });
    const jurors = await s.jurors(rncp, 2, { validUntil: '2029-05-12' });
    const candidateId = await s.candidate(centreId, 'Fontaine');

    await sitting(L, { centreId, jurors }, candidateId, { rncp, kind: 'ccp', blocs: [BC01], day: '2025-10-06' }, 'ccp', [BC01]);
    expect(lineOf(await record(L, candidateId), rncp)).toMatchObject({ eligible: false, missing: [BC02], titre: null });

    await moveTo(L, '2026-02-01T08:00:00Z');
    const sessionId = await sitting(L, { centreId, jurors }, candidateId, { rncp, kind: 'ccp', blocs: [BC02], day: '2026-03-02' }, 'titre', [BC02]);
    const rec = await record(L, candidateId);
    const line = lineOf(rec, rncp);
    expect(line).toMatchObject({ eligible: false, missing: [], titre: { issuedAt: '2026-03-02', sessionId, route: 'capitalisation' } });
    expect(line.blocs.map((b: any) => [b.code, b.acquiredAt])).toEqual([
      [BC01, '2025-10-06'],
      [BC02, '2026-03-02'],
    ]);
    const titres = rec.certificates.filter((c: any) => c.kind === 'titre');
    expect(titres).toHaveLength(1);
    expect(titres[0]).toMatchObject({ rncp, blocs: [BC01, BC02], status: 'valid' });
    expect(line.titre.certificateCode).toBe(titres[0].code);
    // No CCP certificate for the bloc that completed the titre: the titre's certificate names it.
    expect(rec.certificates.filter((c: any) => c.kind === 'ccp').map((c: any) => c.blocs)).toEqual([[BC01]]);
    expect(rec.sessions.map((x: any) => x.outcome)).toEqual(['ccp', 'titre']);

    const credential = await L.call('GET', `/certificates/${titres[0].code}/credential`);
    const vc = decodeJwt(credential.text) as any;
    expect(vc.credentialSubject.achievement.criteria.narrative).toContain('par capitalisation des certificats de compétences professionnelles');
    expect(vc.credentialSubject.achievement.alignment.map((a: any) => a.targetCode)).toEqual([rncp, BC01, BC02]);
    expect(await pdfText(L, titres[0].code)).toContain('Titre obtenu par capitalisation des certificats de compétences professionnelles');
  }, 180_000);

  it('a holder of RNCP32340BC01 (2021) gets the RNCP38665 titre at a titre session enrolled on BC02 only; a newcomer cannot sit BC02 alone', async () => {
    const L = await start('2021-03-01T08:00:00Z');
    const s = scenario(callerOf(L));
    const centreId = await s.centre('RNCP32340', { validUntil: '2024-05-11' });
    const jurors2019 = await s.jurors('RNCP32340', 2, { validUntil: '2024-05-11' });
    const holder = await s.candidate(centreId, 'Lemoine');
    const newcomer = await s.candidate(centreId, 'Nouveau');
    await sitting(L, { centreId, jurors: jurors2019 }, holder, { rncp: 'RNCP32340', kind: 'ccp', blocs: ['RNCP32340BC01'], day: '2021-06-07' }, 'ccp', ['RNCP32340BC01']);

    await moveTo(L, '2025-09-01T08:00:00Z');
    expect((await L.call('POST', `/centres/${centreId}/agrements`, { as: [...DREETS], body: { rncp: 'RNCP38665', validUntil: '2029-05-12' } })).status).toBe(201);
    const jurors = await s.jurors('RNCP38665', 2, { validUntil: '2029-05-12' });
    const before = lineOf(await record(L, holder), 'RNCP38665');
    expect(before.blocs[0]).toMatchObject({ code: BC01, usable: true, via: { kind: 'correspondence', from: 'RNCP32340' } });
    expect(before).toMatchObject({ eligible: false, missing: [BC02] });

    const sessionId = await s.session(centreId, { rncp: 'RNCP38665', kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' }, jurors);
    const refused = await L.call('POST', `/sessions/${sessionId}/enrolments`, {
      as: ['centre', centreId],
      body: { candidateId: newcomer, route: 'formation_continue', blocs: [BC02] },
    });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.type).toBe('/problems/titre-session-blocs-not-held');
    await s.enrol(centreId, sessionId, holder, 'formation_continue', [BC02]);
    await moveTo(L, '2025-10-06T15:00:00Z');
    const all = await s.blocs('RNCP38665');
    await s.deliberate(
      sessionId,
      jurors,
      holder,
      'titre',
      all.filter((b) => b.code === BC02),
      [BC02],
    );
    await s.validatePv(sessionId);
    const rec = await record(L, holder);
    expect(lineOf(rec, 'RNCP38665')).toMatchObject({ titre: { route: 'capitalisation', sessionId, issuedAt: '2025-10-06' }, missing: [] });
    const titre = rec.certificates.find((c: any) => c.kind === 'titre');
    expect(titre).toMatchObject({ rncp: 'RNCP38665', blocs: [BC01, BC02], status: 'valid' });
  }, 180_000);

  it('the grace year: a holder of BC01 sits BC02 after RNCP38665 ends and gets the titre, while a newcomer is refused', async () => {
    const L = await start('2028-09-01T08:00:00Z');
    const s = scenario(callerOf(L));
    const rncp = 'RNCP38665';
    // Agréments and habilitations run into the grace year (assumption agrementsExtendIntoGrace of the referential).
    const centreId = await s.centre(rncp, { validUntil: '2030-05-12' });
    const jurors = await s.jurors(rncp, 2, { validUntil: '2030-05-12' });
    const holder = await s.candidate(centreId, 'Girard');
    const newcomer = await s.candidate(centreId, 'Petit');
    await sitting(L, { centreId, jurors }, holder, { rncp, kind: 'ccp', blocs: [BC01], day: '2028-10-02' }, 'ccp', [BC01]);

    await moveTo(L, '2029-09-01T08:00:00Z');
    const sessionId = await s.session(centreId, { rncp, kind: 'ccp', blocs: [BC02], startsOn: '2029-10-01', endsOn: '2029-10-01' }, jurors);
    const refused = await L.call('POST', `/sessions/${sessionId}/enrolments`, {
      as: ['centre', centreId],
      body: { candidateId: newcomer, route: 'formation_continue', blocs: [BC02] },
    });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.type).toBe('/problems/grace-year-holders-only');
    await s.enrol(centreId, sessionId, holder, 'formation_continue', [BC02]);
    await moveTo(L, '2029-10-01T15:00:00Z');
    const all = await s.blocs(rncp);
    await s.deliberate(
      sessionId,
      jurors,
      holder,
      'titre',
      all.filter((b) => b.code === BC02),
      [BC02],
    );
    await s.validatePv(sessionId);
    expect(lineOf(await record(L, holder), rncp)).toMatchObject({ titre: { route: 'capitalisation', issuedAt: '2029-10-01' } });
    const beyond = await L.call('POST', '/sessions', {
      as: ['centre', centreId],
      body: { rncp, kind: 'ccp', blocs: [BC02], centreId, startsOn: '2030-05-13', endsOn: '2030-05-13' },
    });
    expect(beyond.json.type).toBe('/problems/certification-not-valid-on-dates');
  }, 180_000);

  it('équivalences and VAE: a partial équivalence gives BC01 and its certificate, the titre follows by capitalisation; a total one gives the titre and its certificate; VAE waits for the recevabilité of the region’s DREETS', async () => {
    const L = await start('2025-09-01T08:00:00Z');
    const s = scenario(callerOf(L));
    const rncp = 'RNCP38665';
    const centreId = await s.centre(rncp, { validUntil: '2029-05-12' });
    const jurors = await s.jurors(rncp, 2, { validUntil: '2029-05-12' });
    const [partial, total, vae] = [await s.candidate(centreId, 'Partiel'), await s.candidate(centreId, 'Total'), await s.candidate(centreId, 'Experience')];
    const grant = (candidateId: string, body: object, region = 'Bretagne') =>
      L.call('POST', `/candidates/${candidateId}/equivalences`, {
        as: ['dreets', 'agent-1', region],
        body: { rncp, decidedOn: '2025-09-01', legalBasis: 'Arrêté de spécialité, équivalences', ...body },
      });
    expect((await grant(partial, { blocs: [BC01] }, 'Occitanie')).json.type).toBe('/problems/outside-territory');
    expect((await grant(partial, { blocs: [BC01] })).status).toBe(201);
    expect((await grant(total, { blocs: [], titre: true })).status).toBe(201);
    // Each decision issues its certificates, as a validated PV does (the équivalence workflow, from the change feed).
    const partialRecord = await record(L, partial);
    const partialLine = lineOf(partialRecord, rncp);
    expect(partialLine.blocs[0]).toMatchObject({ code: BC01, usable: true, via: { kind: 'equivalence' } });
    expect(partialRecord.certificates).toEqual([expect.objectContaining({ kind: 'ccp', rncp, blocs: [BC01], status: 'valid' })]);
    const totalRecord = await record(L, total);
    const totalLine = lineOf(totalRecord, rncp);
    expect(totalLine).toMatchObject({ titre: { route: 'equivalence', issuedAt: '2025-09-01' } });
    expect(totalRecord.certificates).toEqual([expect.objectContaining({ kind: 'titre', rncp, blocs: [BC01, BC02], status: 'valid' })]);
    expect(totalLine.titre.certificateCode).toBe(totalRecord.certificates[0].code);
    for (const code of [partialRecord.certificates[0].code, totalLine.titre.certificateCode]) {
      const verified = await L.call('GET', `/verify/${code}`);
      expect(verified.status, verified.text).toBe(200);
      expect(verified.json).toMatchObject({ code, status: 'valid', issuedAt: '2025-09-01', certification: { rncp } });
    }
    expect(await pdfText(L, totalLine.titre.certificateCode)).toContain('Titre obtenu par équivalence');
    expect(await pdfText(L, partialRecord.certificates[0].code)).toContain('Bloc obtenu par équivalence');
    const vc = decodeJwt((await L.call('GET', `/certificates/${totalLine.titre.certificateCode}/credential`)).text) as any;
    expect(vc.credentialSubject.achievement.criteria.narrative).toContain('Délivré sur décision d’équivalence');

    const sessionId = await sitting(L, { centreId, jurors }, partial, { rncp, kind: 'ccp', blocs: [BC02], day: '2025-10-06' }, 'titre', [BC02]);
    expect(lineOf(await record(L, partial), rncp)).toMatchObject({ titre: { route: 'capitalisation', sessionId } });

    const vaeSession = await s.session(centreId, { rncp, kind: 'titre', startsOn: '2025-11-03', endsOn: '2025-11-03' }, jurors);
    const enrolVae = () => L.call('POST', `/sessions/${vaeSession}/enrolments`, { as: ['centre', centreId], body: { candidateId: vae, route: 'vae' } });
    expect((await enrolVae()).json.type).toBe('/problems/vae-recevabilite-required');
    const recevabilite = (region: string) => L.call('POST', `/candidates/${vae}/vae-recevabilite`, { as: ['dreets', 'agent-2', region], body: { rncp, decidedOn: '2025-10-06' } });
    const elsewhere = await recevabilite('Occitanie');
    expect(elsewhere.status, elsewhere.text).toBe(403);
    expect(elsewhere.json.type).toBe('/problems/outside-territory');
    expect((await enrolVae()).json.type).toBe('/problems/vae-recevabilite-required');
    expect((await recevabilite('Bretagne')).status).toBe(201);
    expect((await enrolVae()).status).toBe(201);
  }, 180_000);

  it('a formation-continue candidate ajourné in March 2025 is refused in May 2026 (resit-window-passed), and accepted once a new training is declared', async () => {
    const L = await start('2025-02-01T08:00:00Z');
    const s = scenario(callerOf(L));
    const rncp = 'RNCP38665';
    const centreId = await s.centre(rncp, { validUntil: '2029-05-12' });
    const jurors = await s.jurors(rncp, 2, { validUntil: '2029-05-12' });
    const candidateId = await s.candidate(centreId, 'Morel');
    await sitting(L, { centreId, jurors }, candidateId, { rncp, kind: 'titre', day: '2025-03-12' }, 'ajourne', []);
    expect((await record(L, candidateId)).sessions).toMatchObject([{ outcome: 'ajourne', pvValidatedOn: '2025-03-12', resitUntil: '2026-03-12' }]);

    await moveTo(L, '2026-04-01T08:00:00Z');
    const sessionId = await s.session(centreId, { rncp, kind: 'titre', startsOn: '2026-05-04', endsOn: '2026-05-05' }, jurors);
    const enrol = () => L.call('POST', `/sessions/${sessionId}/enrolments`, { as: ['centre', centreId], body: { candidateId, route: 'formation_continue' } });
    const refused = await enrol();
    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.type).toBe('/problems/resit-window-passed');
    const training = await L.call('POST', `/candidates/${candidateId}/trainings`, { as: ['centre', centreId], body: { rncp, route: 'formation_continue', endsOn: '2026-04-24' } });
    expect(training.status, training.text).toBe(201);
    expect((await enrol()).status).toBe(201);
  }, 180_000);

  it('a juror recuses after assessing, the centre adds a juror for that candidate, the deliberation completes and the titre is issued; another region’s DREETS decides nothing on the session', async () => {
    const L = await start('2025-09-01T08:00:00Z');
    const s = scenario(callerOf(L));
    const rncp = 'RNCP38665';
    const centreId = await s.centre(rncp, { validUntil: '2029-05-12' });
    const [j1, j2, j3] = await s.jurors(rncp, 3, { validUntil: '2029-05-12' });
    const candidateId = await s.candidate(centreId, 'Renaud');
    const sessionId = await s.session(centreId, { rncp, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' }, [j1!, j2!]);
    await s.enrol(centreId, sessionId, candidateId);
    await moveTo(L, '2025-10-06T15:00:00Z');
    const blocs = await s.blocs(rncp);
    const assess = (juror: string) =>
      Promise.all(
        blocs.map((b) =>
          L.call('POST', `/sessions/${sessionId}/assessments`, {
            as: ['juror', juror],
            body: { candidateId, bloc: b.code, competences: b.competences.map((c) => ({ code: c.code, result: 'acquis' })) },
          }),
        ),
      );
    for (const j of [j1!, j2!]) for (const r of await assess(j)) expect(r.status).toBe(201);

    // The DREETS of another region neither recuses a juror of this session nor decides its accommodations (rule 16).
    const foreign = ['dreets', 'agent-9', 'Occitanie'] as const;
    const foreignRecusal = await L.call('POST', `/sessions/${sessionId}/recusals`, { as: [...foreign], body: { candidateId, jurorId: j1!, reason: 'voisin' } });
    expect([foreignRecusal.status, foreignRecusal.json.type]).toEqual([403, '/problems/outside-territory']);
    const foreignAccommodation = await L.call('POST', `/sessions/${sessionId}/accommodations`, { as: [...foreign], body: { candidateId, measures: 'tiers temps' } });
    expect([foreignAccommodation.status, foreignAccommodation.json.type]).toEqual([403, '/problems/outside-territory']);
    const accommodation = await L.call('POST', `/sessions/${sessionId}/accommodations`, { as: [...DREETS], body: { candidateId, measures: 'tiers temps' } });
    expect(accommodation.status, accommodation.text).toBe(201);
    const recusal = await L.call('POST', `/sessions/${sessionId}/recusals`, { as: ['juror', j2!], body: { candidateId, reason: 'ancien collègue du candidat' } });
    expect(recusal.status, recusal.text).toBe(201);
    const tooFew = await L.call('POST', `/sessions/${sessionId}/deliberations`, {
      as: ['juror', j1!],
      body: { candidateId, outcome: 'titre', blocs: [BC01, BC02], finalInterviewHeld: true },
    });
    expect(tooFew.json.type).toBe('/problems/jury-too-small-after-recusal');
    const addition = await L.call('PUT', `/sessions/${sessionId}/jury`, { as: ['centre', centreId], body: { members: [j3!], candidateId } });
    expect(addition.status, addition.text).toBe(200);
    for (const r of await assess(j3!)) expect(r.status).toBe(201);
    const proposal = await L.call('POST', `/sessions/${sessionId}/deliberations`, {
      as: ['juror', j1!],
      body: { candidateId, outcome: 'titre', blocs: [BC01, BC02], finalInterviewHeld: true },
    });
    expect(proposal.status, proposal.text).toBe(201);
    const signature = await L.call('POST', `/sessions/${sessionId}/deliberations/${candidateId}/signatures`, { as: ['juror', j3!] });
    expect(signature.json).toMatchObject({ final: true, signedBy: [j1, j3] });
    await s.validatePv(sessionId);
    await L.settle();
    expect(lineOf(await record(L, candidateId), rncp)).toMatchObject({ titre: { route: 'session', sessionId } });
    const view = (await L.call('GET', `/sessions/${sessionId}`, { as: ['centre', centreId] })).json;
    expect(view.recusals).toMatchObject([{ jurorId: j2, declaredBy: 'juror' }]);
    expect(view.accommodations).toMatchObject([{ candidateId }]);
    expect(view.assessments.filter((a: any) => a.jurorId === j2).every((a: any) => a.counts === false)).toBe(true);
    expect(view.text ?? JSON.stringify(view)).not.toContain('ancien collègue');
  }, 180_000);
});
