import { beforeAll, describe, expect, it } from 'vitest';
import { newCertificateCode } from '../../functions/certificates/issue-certificate.js';
import { callRoute, commitCount } from '../support/call-route.js';
import { issueCertificate } from '../support/issue-certificate.js';
import type { memoryDeps, TestClock } from '../support/memory-deps.js';
import { memoryScenario, titreAtSession } from '../support/memory-titre.js';
import { pdfText } from '../support/pdf-text.js';
import type { As, Caller } from '../support/scenario.js';

const RNCP = 'RNCP38665';
const DREETS: As = ['dreets', 'agent-1', 'Bretagne'];
// The names in force on each issue date (referential/issuing-authorities.ts): Lecornu I from 5 October 2025, Lecornu II from the 12th.
const MINISTRY_ON_6_OCTOBER_2025 = "Ministère du Travail, de la Santé, des Solidarités, des Familles, de l'Autonomie et des Personnes handicapées";
const MINISTRY_ON_12_OCTOBER_2025 = 'Ministère du Travail et des Solidarités';

describe('GET /candidates/{candidateId}/certificates/{code}/pdf: the holder’s named PDF', () => {
  let h: Awaited<ReturnType<typeof memoryDeps>>;
  let clock: TestClock;
  let call: Caller;
  let holder: string;
  let other: string;
  let titre: string;
  let sessionId: string;
  const pdf = (candidateId: string, code: string, as: As = ['candidate', candidateId]) =>
    callRoute(h.deps, 'GET', `/candidates/${candidateId}/certificates/${encodeURIComponent(code)}/pdf`, { as });

  beforeAll(async () => {
    const w = await memoryScenario();
    ({ h, clock, call } = w);
    let others: string[];
    ({ holder, others, sessionId } = await titreAtSession(w, RNCP, 'Moreau-Lefèvre', ['Durand']));
    other = others[0]!;
    const record = (await call('GET', `/candidates/${holder}/record`, { as: ['candidate', holder] })).json;
    titre = record.certificates[0].code;
  }, 120_000);

  it('names the holder, their birth date, the titre, the jury’s date and place, and the authority as named on the issue date', async () => {
    const res = await pdf(holder, titre);
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="certificat-${titre}-nominatif.pdf"`);
    const text = pdfText(res.body as Uint8Array);
    for (const expected of [
      'RÉPUBLIQUE FRANÇAISE',
      MINISTRY_ON_6_OCTOBER_2025,
      'Titre professionnel',
      "Manager d'équipe relation client à distance",
      'RNCP38665 — niveau 5',
      'Titulaire : Camille MOREAU-LEFÈVRE',
      'Date de naissance : 2 avril 1990',
      'Jury réuni le 6 octobre 2025 — lieu : Centre Bretagne (Bretagne)',
      'Délivré le 6 octobre 2025',
      "Délivré au nom de l'État par la DREETS Bretagne (direction régionale de l'économie, de l'emploi, du travail et des solidarités)",
      titre,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('CERTIFICAT RETIRÉ');
  });

  it('a certificate issued after the government changed names the new ministry; a CCP goes to the livret de certification', async () => {
    const code = newCertificateCode();
    await issueCertificate(h.deps, {
      code,
      candidateId: holder,
      kind: 'ccp',
      rncp: RNCP,
      blocs: ['RNCP38665BC01'],
      issuedOn: '2025-10-12',
      sessionId,
      commandId: `issue-${code}`,
    });
    await h.settle();
    const text = pdfText((await pdf(holder, code)).body as Uint8Array);
    expect(text).toContain(MINISTRY_ON_12_OCTOBER_2025);
    expect(text).not.toContain(MINISTRY_ON_6_OCTOBER_2025);
    expect(text).toContain('Certificat de compétences professionnelles');
    expect(text).toContain('Délivré le 12 octobre 2025');
    expect(text).toMatch(/Délivré par la DREETS Bretagne \(direction régionale de l'économie, de l'emploi, du travail et des solidarités\), au livret de certification/);
    expect(text).toContain('Titulaire : Camille MOREAU-LEFÈVRE');
  });

  it('records each download in the holder’s access log: who, when, why', async () => {
    const before = await h.deps.accessLog.list(holder);
    clock.set('2025-10-20T09:00:00Z');
    expect((await pdf(holder, titre)).status).toBe(200);
    const after = await h.deps.accessLog.list(holder);
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toMatchObject({ personId: holder, at: '2025-10-20T09:00:00.000Z', reader: `candidate:${holder}`, purpose: 'named-certificate' });
  });

  it('the public PDF by code names no one: neither the name nor the birth date', async () => {
    const res = await callRoute(h.deps, 'GET', `/certificates/${titre}/pdf`);
    expect(res.status).toBe(200);
    const text = pdfText(res.body as Uint8Array);
    expect(text).toContain(titre); // the text was read (positive control)
    expect(text).toContain('RNCP38665');
    for (const personal of ['Moreau', 'MOREAU', 'Lefèvre', 'LEFÈVRE', 'Camille', '2 avril 1990', '1990-04-02', 'Titulaire', 'naissance']) expect(text).not.toContain(personal);
  });

  it('the public PDF names the issuing authority as the named copy does, from the names in force on the issue date', async () => {
    const text = pdfText((await callRoute(h.deps, 'GET', `/certificates/${titre}/pdf`)).body as Uint8Array);
    expect(text).toContain('RÉPUBLIQUE FRANÇAISE');
    expect(text).toContain(MINISTRY_ON_6_OCTOBER_2025);
    expect(text).toContain("Délivré au nom de l'État par la DREETS Bretagne (direction régionale de l'économie, de l'emploi, du travail et des solidarités)");
    // The certification's registered certifier is not the name in force on that date.
    expect(text).not.toContain('Ministère du Travail, du Plein emploi');
    const code = newCertificateCode();
    await issueCertificate(h.deps, { code, candidateId: holder, kind: 'ccp', rncp: RNCP, blocs: ['RNCP38665BC02'], issuedOn: '2025-10-12', sessionId, commandId: `issue-${code}` });
    await h.settle();
    const later = pdfText((await callRoute(h.deps, 'GET', `/certificates/${code}/pdf`)).body as Uint8Array);
    expect(later).toContain(MINISTRY_ON_12_OCTOBER_2025);
    expect(later).not.toContain(MINISTRY_ON_6_OCTOBER_2025);
    expect(later).toMatch(/Délivré par la DREETS Bretagne \(direction régionale de l'économie, de l'emploi, du travail et des solidarités\), au livret de certification/);
  });

  it('only the holder: another candidate gets 403; a code that is not theirs, unknown or malformed, the same 404; their log untouched', async () => {
    const logged = (await h.deps.accessLog.list(holder)).length;
    const forbidden = await pdf(holder, titre, ['candidate', other]);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.type).toBe('/problems/not-your-certificate');
    const notTheirs = await pdf(other, titre);
    const unknown = await pdf(other, '7KQ2-M9XD-4HTB-P3WX6');
    const malformed = await pdf(other, 'not a code');
    expect(notTheirs.status).toBe(404);
    expect(notTheirs.text).toBe(unknown.text);
    expect(malformed.text).toBe(unknown.text);
    for (const role of ['centre', 'dreets', 'juror', 'ministry'] as const) expect((await pdf(holder, titre, [role, holder])).status).toBe(403);
    expect(await h.deps.accessLog.list(holder)).toHaveLength(logged);
    expect(await h.deps.accessLog.list(other)).toHaveLength(0);
  });

  it('a suspended certificate’s copy says so above all, a revoked one says it is withdrawn (and since when)', async () => {
    clock.set('2025-11-03T10:00:00Z');
    expect((await call('POST', `/certificates/${titre}/suspension`, { as: DREETS, body: { reason: 'contrôle', legalBasis: 'art. 10' } })).status).toBe(201);
    expect(pdfText((await pdf(holder, titre)).body as Uint8Array)).toContain('CERTIFICAT SUSPENDU depuis le 3 novembre 2025');
    clock.set('2025-11-10T10:00:00Z');
    expect((await call('POST', `/certificates/${titre}/revocation`, { as: DREETS, body: { reason: 'fraude', legalBasis: 'art. 10' } })).status).toBe(201);
    const text = pdfText((await pdf(holder, titre)).body as Uint8Array);
    expect(text).toContain('CERTIFICAT RETIRÉ le 10 novembre 2025');
    expect(text).toContain('Titulaire : Camille MOREAU-LEFÈVRE'); // still the holder's copy of what was issued
  });

  it('an issue date before the referential’s first name: 422 issuing-authority-unknown, nothing read from the vault', async () => {
    const code = newCertificateCode();
    await issueCertificate(h.deps, { code, candidateId: other, kind: 'ccp', rncp: 'RNCP12505', blocs: ['RNCP12505BC01'], issuedOn: '2015-06-01', commandId: `issue-${code}` });
    await h.settle();
    const res = await pdf(other, code);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.type).toBe('/problems/issuing-authority-unknown');
    expect(await h.deps.accessLog.list(other)).toHaveLength(0);
  });

  it('once the holder’s personal data are erased: their token refused (401 sign-in-revoked, issue 17), no PDF, the ledger unchanged', async () => {
    expect((await call('DELETE', `/candidates/${holder}/personal-data`, { as: DREETS })).status).toBe(204);
    const before = await commitCount(h.deps);
    const logged = (await h.deps.accessLog.list(holder)).length;
    const res = await pdf(holder, titre);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.type).toBe('/problems/sign-in-revoked');
    expect(await commitCount(h.deps)).toBe(before);
    expect(await h.deps.accessLog.list(holder)).toHaveLength(logged);
    // The public PDF by code stays.
    expect((await callRoute(h.deps, 'GET', `/certificates/${titre}/pdf`)).status).toBe(200);
  });
});
