import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startLedgerTarget, TARGET, type As, type HttpLedger } from '../support/ledger-target.js';
import { pdfText } from '../support/pdf-text.js';
import { scenario, type Caller } from '../support/scenario.js';

/**
 * The holder downloads the named PDF of their titre, over HTTP only, on the target LEDGER_TARGET names (`npm test`:
 * the local runtime; `npm run test:twin`: the twin, where the route's Lambda decrypts the vault and writes the access
 * log under its own role). Two titres validated a week apart, across the government of 12 October 2025: each names
 * the ministry of its own issue date.
 */
const RNCP = 'RNCP38665';
const DREETS: As = ['dreets', 'agent-1', 'Bretagne'];
const WAIT = TARGET === 'twin' ? 90_000 : 30_000;

let L: HttpLedger;
let s: ReturnType<typeof scenario>;
beforeAll(async () => {
  L = await startLedgerTarget({ clock: 'virtual:2025-09-01T08:00:00Z' });
  const call: Caller = (method, path, opts = {}) => L.call(method, path, opts);
  s = scenario(call);
}, 600_000);
afterAll(async () => L?.stop());

const titreOf = (candidateId: string) =>
  eventually(
    async () => {
      const r = await L.call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] });
      const code = r.status === 200 && r.json.certificates.find((c: { kind: string; status: string }) => c.kind === 'titre' && c.status === 'valid')?.code;
      return code as string | undefined;
    },
    'the titre issued',
    WAIT,
  );
const namedPdf = (candidateId: string, code: string, as: As = ['candidate', candidateId]) =>
  L.call('GET', `/candidates/${candidateId}/certificates/${encodeURIComponent(code)}/pdf`, { as });

describe(`the holder's named PDF over HTTP, on the ${TARGET} target`, () => {
  it('each titre names its holder, the jury and the ministry of its issue date; only the holder gets it; the public PDF names no one', async () => {
    const centreId = await s.centre(RNCP, { validUntil: '2029-05-12' });
    const jurors = await s.jurors(RNCP, 2, { validUntil: '2029-05-12' });
    const blocs = await s.blocs(RNCP);
    const codes = blocs.map((b) => b.code);
    const [before, after] = [await s.candidate(centreId, 'Moreau'), await s.candidate(centreId, 'Lambert')];
    const first = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' }, jurors);
    const second = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-13', endsOn: '2025-10-14' }, jurors);
    await s.enrol(centreId, first, before);
    await s.enrol(centreId, second, after);

    await L.setClock('2025-10-06T14:00:00Z');
    await s.deliberate(first, jurors, before, 'titre', blocs, codes);
    await s.validatePv(first);
    const beforeCode = await titreOf(before);
    await L.setClock('2025-10-14T14:00:00Z');
    await s.deliberate(second, jurors, after, 'titre', blocs, codes);
    await s.validatePv(second);
    const afterCode = await titreOf(after);

    const mine = await namedPdf(before, beforeCode);
    expect(mine.status, mine.text).toBe(200);
    expect(mine.headers.get('content-type')).toBe('application/pdf');
    const beforeText = pdfText(mine.bytes);
    for (const expected of [
      'Titulaire : Camille MOREAU',
      'Date de naissance : 2 avril 1990',
      "Manager d'équipe relation client à distance",
      'RNCP38665 — niveau 5',
      'Jury réuni le 6 octobre 2025 — lieu : Centre Bretagne (Bretagne)',
      'Délivré le 6 octobre 2025',
      "Ministère du Travail, de la Santé, des Solidarités, des Familles, de l'Autonomie et des Personnes handicapées",
      "Délivré au nom de l'État par la DREETS Bretagne",
      beforeCode,
    ]) {
      expect(beforeText).toContain(expected);
    }
    const afterText = pdfText((await namedPdf(after, afterCode)).bytes);
    for (const expected of [
      'Titulaire : Camille LAMBERT',
      'Jury réuni du 13 octobre 2025 au 14 octobre 2025 — lieu : Centre Bretagne (Bretagne)',
      'Délivré le 14 octobre 2025',
      'Ministère du Travail et des Solidarités',
      afterCode,
    ]) {
      expect(afterText).toContain(expected);
    }
    expect(afterText).not.toContain('Familles');

    // Only the holder: another candidate 403, a code that is not theirs the 404 of an unknown one.
    expect((await namedPdf(before, beforeCode, ['candidate', after])).status).toBe(403);
    const notTheirs = await namedPdf(after, beforeCode);
    expect(notTheirs.status).toBe(404);
    expect(notTheirs.text).toBe((await namedPdf(after, '7KQ2-M9XD-4HTB-P3WX6')).text);

    const pub = await L.call('GET', `/certificates/${encodeURIComponent(beforeCode)}/pdf`);
    expect(pub.status).toBe(200);
    const publicText = pdfText(pub.bytes);
    expect(publicText).toContain(beforeCode);
    for (const personal of ['MOREAU', 'Moreau', 'Camille', '2 avril 1990', 'naissance']) expect(publicText).not.toContain(personal);

    // Revoked: the holder's copy says it is withdrawn.
    await L.setClock('2025-11-03T10:00:00Z');
    expect((await L.call('POST', `/certificates/${encodeURIComponent(afterCode)}/revocation`, { as: DREETS, body: { reason: 'fraude', legalBasis: 'art. 10' } })).status).toBe(201);
    const revoked = await eventually(
      async () => {
        const text = pdfText((await namedPdf(after, afterCode)).bytes);
        return text.includes('CERTIFICAT RETIRÉ') ? text : undefined;
      },
      'the revocation projected',
      WAIT,
    );
    expect(revoked).toContain('CERTIFICAT RETIRÉ le 3 novembre 2025');

    // Erased: no named copy any more; the public PDF stays.
    expect((await L.call('DELETE', `/candidates/${before}/personal-data`, { as: DREETS })).status).toBe(204);
    // The erased holder signs in no more: their token is refused before the route would say the data are gone (issue 17).
    const erased = await namedPdf(before, beforeCode);
    expect(erased.status).toBe(401);
    expect(erased.json.type).toBe('/problems/sign-in-revoked');
    expect((await L.call('GET', `/certificates/${encodeURIComponent(beforeCode)}/pdf`)).status).toBe(200);
  }, 300_000);
});
