import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startLedgerTarget, TARGET, type As, type HttpLedger } from '../support/ledger-target.js';
import { scenario, type Caller } from '../support/scenario.js';

/**
 * The four users' main journeys, an équivalence, an appeal and accounts, through HTTP only, against the target LEDGER_TARGET names: the local runtime
 * (`npm test`) or the twin of the synthesized stack (`npm run test:twin`). One ledger, one virtual clock that
 * only moves forward, so the journeys run in the order of their dates. Whatever the ledger does after an
 * answer (projections, workflows, timers) is waited for by asking again.
 */
const RNCP = 'RNCP38665';
const DREETS: As = ['dreets', 'agent-1', 'Bretagne'];
const MINISTRY: As = ['ministry', 'dgefp-1'];
const WAIT = TARGET === 'twin' ? 90_000 : 30_000;

let L: HttpLedger;
let s: ReturnType<typeof scenario>;
/** What the certifier's journey leaves for the others. */
const world = {} as { centreId: string; jurors: string[]; titre: string; partial: string; ajourne: string; code: string; sessionId: string };

beforeAll(async () => {
  L = await startLedgerTarget({ clock: 'virtual:2025-09-01T08:00:00Z' });
  const call: Caller = (method, path, opts = {}) => L.call(method, path, { ...opts, ...(opts.as ? { as: opts.as } : {}) });
  s = scenario(call);
}, 600_000);
afterAll(async () => L?.stop());

const record = async (candidateId: string, as: As = ['candidate', candidateId], asOf?: string) => {
  const r = await L.call('GET', `/candidates/${candidateId}/record${asOf ? `?asOf=${asOf}` : ''}`, { as });
  expect(r.status, r.text).toBe(200);
  return r.json;
};
/** The record once the change feed has projected the candidate (on the twin, Streams deliver a moment after the 201). */
const projectedRecord = async (candidateId: string) => {
  const r = await L.call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] });
  if (r.status === 404) return undefined;
  expect(r.status, r.text).toBe(200);
  return r.json;
};
const notifications = async (candidateId: string) =>
  (await L.call('GET', `/candidates/${candidateId}/notifications`, { as: ['candidate', candidateId] })).json as { kind: string; bloc?: string; text: string; at: string }[];
const line = (rec: any, rncp = RNCP) => rec.certifications.find((c: any) => c.rncp === rncp);

describe(`the four users' journeys over HTTP, on the ${TARGET} target`, () => {
  it('certifiers: a titre session with 2 jurors and 3 candidates (titre, BC01 only, ajourné), its PV validated, the outcomes recorded', async () => {
    const centreId = await s.centre(RNCP, { validUntil: '2029-05-12' });
    const jurors = await s.jurors(RNCP, 2, { validUntil: '2029-05-12' });
    const blocs = await s.blocs(RNCP);
    const [titre, partial, ajourne] = [await s.candidate(centreId, 'Moreau'), await s.candidate(centreId, 'Petit'), await s.candidate(centreId, 'Lambert')];
    const sessionId = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-07' }, jurors);
    for (const k of [titre, partial, ajourne]) await s.enrol(centreId, sessionId, k);
    await L.setClock('2025-10-07T14:00:00Z');
    await s.deliberate(sessionId, jurors, titre, 'titre', blocs, ['RNCP38665BC01', 'RNCP38665BC02']);
    await s.deliberate(sessionId, jurors, partial, 'ccp', blocs, ['RNCP38665BC01']);
    await s.deliberate(sessionId, jurors, ajourne, 'ajourne', blocs, []);
    // Nothing takes effect before the PV is validated.
    expect((await record(titre)).certifications).toEqual([]);

    const { executionName } = await s.validatePv(sessionId);
    expect(executionName).toBe(`session-${sessionId}`);
    const titreRecord = await eventually(
      async () => {
        const r = await record(titre);
        return line(r)?.titre?.certificateCode && r.certificates[0]?.status === 'valid' ? r : undefined;
      },
      'the titre issued',
      WAIT,
    );
    expect(line(titreRecord)).toMatchObject({ rncp: RNCP, titre: { issuedAt: '2025-10-07' } });
    expect(line(titreRecord).blocs.map((b: { acquired: boolean }) => b.acquired)).toEqual([true, true]);
    expect(titreRecord.certificates).toEqual([expect.objectContaining({ kind: 'titre', rncp: RNCP, status: 'valid' })]);

    const partialRecord = await eventually(
      async () => {
        const r = await record(partial, ['centre', centreId]);
        return r.certificates.length ? r : undefined;
      },
      'the CCP issued',
      WAIT,
    );
    expect(line(partialRecord)).toMatchObject({ rncp: RNCP, eligible: false, titre: null, missing: ['RNCP38665BC02'] });
    expect(line(partialRecord).blocs[0]).toMatchObject({
      code: 'RNCP38665BC01',
      acquired: true,
      acquiredAt: '2025-10-07',
      usableUntil: '2030-05-12',
      usable: true,
      via: { kind: 'session', sessionId },
    });
    expect(partialRecord.certificates).toEqual([expect.objectContaining({ kind: 'ccp', blocs: ['RNCP38665BC01'] })]);

    expect((await record(ajourne, DREETS)).certifications).toEqual([]);
    const told = await eventually(
      async () => {
        const n = await notifications(ajourne);
        return n.length ? n : undefined;
      },
      'the ajourné candidate told',
      WAIT,
    );
    expect(told).toEqual([expect.objectContaining({ kind: 'session-results', text: expect.stringContaining('ajourné') })]);
    expect((await L.call('GET', `/sessions/${sessionId}`, { as: ['juror', jurors[0]!] })).json.pv).toMatchObject({ status: 'validated' });
    // Another candidate may not read this record.
    expect((await L.call('GET', `/candidates/${titre}/record`, { as: ['candidate', partial] })).status).toBe(403);
    Object.assign(world, { centreId, jurors, titre, partial, ajourne, sessionId, code: line(titreRecord).titre.certificateCode });
  }, 300_000);

  it("the ministry: the year's statistics of the title, as JSON, as CSV and exported; refused to a centre", async () => {
    expect(world.code, 'the certifiers journey ran').toBeDefined();
    const row = await eventually(
      async () => {
        const r = await L.call('GET', `/statistics?rncp=${RNCP}&year=2025`, { as: MINISTRY });
        expect(r.status, r.text).toBe(200);
        return r.json.rows[0]?.certified === 1 && r.json.rows[0]?.ccpIssued === 1 ? r.json : undefined;
      },
      'the statistics of 2025',
      WAIT,
    );
    expect(row.position).toEqual(expect.any(Number));
    expect(row.rows[0]).toMatchObject({ year: 2025, rncp: RNCP, enrolled: 3, present: 3, certified: 1, ccpIssued: 1, certifiedViaVae: 0 });
    expect(row.rows[0].byRegion).toMatchObject({ Bretagne: { enrolled: 3, certified: 1 } });

    const csv = await L.call('GET', `/statistics?rncp=${RNCP}&year=2025&format=csv`, { as: MINISTRY });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')[1]!.startsWith(`2025;1;0;`)).toBe(true);
    const exported = await L.call('POST', '/statistics/exports', { as: MINISTRY, body: { year: 2025 } });
    expect(exported.status, exported.text).toBe(201);
    expect(exported.json).toMatchObject({ exportId: expect.stringMatching(/^2025-p\d+$/), key: expect.stringContaining('2025'), sha256: expect.any(String) });
    expect((await L.call('GET', '/statistics?year=2025', { as: ['centre', world.centreId] })).status).toBe(403);
  }, 120_000);

  it('équivalences: a DREETS agent of the region grants the titre by équivalence; its certificate is issued (the équivalence workflow), says so and verifies', async () => {
    expect(world.centreId, 'the certifiers journey ran').toBeDefined();
    const candidateId = await s.candidate(world.centreId, 'Equivalent');
    const granted = await L.call('POST', `/candidates/${candidateId}/equivalences`, {
      as: DREETS,
      body: { rncp: RNCP, blocs: [], titre: true, decidedOn: '2025-10-07', legalBasis: 'Arrêté de spécialité du titre, équivalence totale' },
    });
    expect(granted.status, granted.text).toBe(201);
    const rec = await eventually(
      async () => {
        const r = await projectedRecord(candidateId);
        return r && line(r)?.titre?.certificateCode && r.certificates[0]?.status === 'valid' ? r : undefined;
      },
      'the équivalence certificate issued',
      WAIT,
    );
    expect(line(rec).titre).toMatchObject({ route: 'equivalence', issuedAt: '2025-10-07', sessionId: granted.json.decisionId });
    const code = line(rec).titre.certificateCode;
    const verified = await L.call('GET', `/verify/${code}`);
    expect(verified.status, verified.text).toBe(200);
    expect(verified.json).toMatchObject({ status: 'valid', kind: 'titre', issuedAt: '2025-10-07', certification: { rncp: RNCP } });
    const vc = decodeJwt((await L.call('GET', `/certificates/${code}/credential`)).text) as any;
    expect(vc.credentialSubject.achievement.criteria.narrative).toMatch(/^Titre obtenu par équivalence\./);
    const told = await eventually(
      async () => {
        const n = await notifications(candidateId);
        return n.length ? n : undefined;
      },
      'the candidate told',
      WAIT,
    );
    expect(told.map((n) => n.kind)).toEqual(['equivalence']);
  }, 180_000);

  it("employers: the holder's code verifies, its credential checks offline against the JWKS, its PDF is served; once revoked it says so, and as of before, valid", async () => {
    const { code } = world;
    expect(code, 'the certifiers journey ran').toBeDefined();
    const verified = await L.call('GET', `/verify/${encodeURIComponent(code)}?familyName=moreau`);
    expect(verified.status, verified.text).toBe(200);
    expect(verified.json).toMatchObject({
      code,
      status: 'valid',
      kind: 'titre',
      certification: { rncp: RNCP, level: 5 },
      issuedAt: '2025-10-07',
      familyNameMatches: true,
      ledger: { stream: expect.any(String) },
    });
    expect((await L.call('GET', `/verify/${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}`)).status).toBe(404);

    const credential = await L.call('GET', `/certificates/${encodeURIComponent(code)}/credential`);
    expect(credential.status).toBe(200);
    const keys = createLocalJWKSet((await L.call('GET', '/.well-known/jwks.json')).json);
    const { payload } = await compactVerify(credential.text, keys);
    expect(JSON.parse(new TextDecoder().decode(payload)).credentialSubject.achievement.humanCode).toBe(RNCP);
    const [header, body, signature] = credential.text.split('.') as [string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[30]! ^= 0x01;
    await expect(compactVerify([header, flipped.toString('base64url'), signature].join('.'), keys)).rejects.toThrow();

    const pdf = await fetch(`${L.url}/certificates/${encodeURIComponent(code)}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');

    await L.setClock('2025-12-01T10:00:00Z');
    const revoked = await L.call('POST', `/certificates/${encodeURIComponent(code)}/revocation`, {
      as: DREETS,
      body: { reason: 'Fraude établie à l’épreuve', legalBasis: 'Arrêté du 22 décembre 2015, art. 9' },
    });
    expect(revoked.status, revoked.text).toBe(201);
    await eventually(async () => (await L.call('GET', `/verify/${encodeURIComponent(code)}`)).json?.status === 'revoked', 'the revocation seen', WAIT);
    expect((await L.call('GET', `/verify/${encodeURIComponent(code)}?asOf=2025-11-30`)).json).toMatchObject({ status: 'valid', asOf: '2025-11-30' });
  }, 120_000);

  it('appeals: a DREETS agent annuls a final decision; compensating events withdraw the titre and revoke its certificate, the candidate is told, history stays', async () => {
    expect(world.centreId, 'the certifiers journey ran').toBeDefined();
    const { centreId, jurors } = world;
    const { sessionId, candidateId } = await s.titreDeliberated(RNCP, centreId, jurors, 'Recours', {
      startsOn: '2025-12-02',
      endsOn: '2025-12-02',
      deliberatedAt: '2025-12-02T15:00:00Z',
      setClock: (now) => L.setClock(now),
    });
    await s.validatePv(sessionId);
    const code = (await eventually(async () => line(await record(candidateId))?.titre?.certificateCode, 'the titre issued', WAIT)) as string;

    await L.setClock('2025-12-03T10:00:00Z');
    const annulled = await L.call('POST', `/sessions/${sessionId}/deliberations/${candidateId}/annulment`, {
      as: DREETS,
      body: { reason: 'fraude constatée', legalBasis: 'arrêté du 22 décembre 2015, art. 12' },
    });
    expect(annulled.status, annulled.text).toBe(201);
    const after = await eventually(
      async () => {
        const r = await record(candidateId);
        return (line(r)?.titre ?? null) === null && r.certificates[0]?.status === 'revoked' ? r : undefined;
      },
      'the titre withdrawn and its certificate revoked',
      WAIT,
    );
    expect(after.certificates[0]).toMatchObject({ code, status: 'revoked' });
    expect((await L.call('GET', `/verify/${encodeURIComponent(code)}`)).json).toMatchObject({ status: 'revoked' });
    expect((await L.call('GET', `/verify/${encodeURIComponent(code)}?asOf=2025-12-02`)).json).toMatchObject({ status: 'valid' });
    expect(line(await record(candidateId, ['candidate', candidateId], '2025-12-02')).titre).toMatchObject({ certificateCode: code });
    const topics = await eventually(
      async () => {
        const t = (await notifications(candidateId)).map((n) => n.kind);
        return t.length === 2 ? t : undefined;
      },
      'the candidate told',
      WAIT,
    );
    expect(topics).toEqual(['session-results', 'decision-annulled']);
  }, 180_000);

  it('candidates: blocs capitalised over two CCP sessions make one eligible, reminded before they lapse, and lapsed a year after the version closes', async () => {
    expect(world.centreId, 'the certifiers journey ran').toBeDefined();
    const { centreId, jurors } = world;
    const candidateId = await s.candidate(centreId, 'Fontaine');
    const all = await s.blocs(RNCP);
    const ccpSession = async (bloc: string, day: string) => {
      const sessionId = await s.session(centreId, { rncp: RNCP, kind: 'ccp', blocs: [bloc], startsOn: day, endsOn: day }, jurors);
      await s.enrol(centreId, sessionId, candidateId, 'formation_continue', [bloc]);
      await L.setClock(`${day}T15:00:00Z`);
      await s.deliberate(
        sessionId,
        jurors,
        candidateId,
        'ccp',
        all.filter((b) => b.code === bloc),
        [bloc],
      );
      await s.validatePv(sessionId);
      await eventually(async () => line(await record(candidateId))?.blocs.find((b: any) => b.code === bloc)?.acquired, `${bloc} acquired`, WAIT);
    };
    await ccpSession('RNCP38665BC01', '2025-12-08');
    await ccpSession('RNCP38665BC02', '2026-03-02');
    const eligible = line(await record(candidateId));
    expect(eligible).toMatchObject({ eligible: true, missing: [], titre: null });
    expect(eligible.blocs.map((b: any) => b.usableUntil)).toEqual(['2030-05-12', '2030-05-12']);

    await L.setClock('2030-05-12T20:00:00Z');
    expect(line(await record(candidateId))).toMatchObject({ eligible: true });
    const reminded = await eventually(
      async () => {
        const n = (await notifications(candidateId)).filter((x) => x.kind === 'usability-reminder');
        return n.length === 2 ? n : undefined;
      },
      'the reminders',
      WAIT,
    );
    expect(reminded.map((n) => n.bloc).sort()).toEqual(['RNCP38665BC01', 'RNCP38665BC02']);

    await L.setClock('2030-05-13T12:00:00Z');
    const lapsed = await eventually(
      async () => {
        const l = line(await record(candidateId));
        return l.blocs.every((b: any) => b.lapsed && !b.usable) ? l : undefined;
      },
      'the blocs lapsed',
      WAIT,
    );
    expect(lapsed).toMatchObject({ eligible: false });
    expect(line(await record(candidateId, ['candidate', candidateId], '2030-05-12'))).toMatchObject({ eligible: true });
  }, 300_000);

  it("accounts: an agent invites a centre's account, the centre signs in as it and acts for its centre; once disabled it cannot sign in", async () => {
    const centre = async (name: string) => (await L.call('POST', '/centres', { as: DREETS, body: { name, region: 'Bretagne' } })).json.centreId as string;
    const [centreId, otherId] = [await centre('Centre AFPA Rennes'), await centre('Centre AFPA Brest')];
    const email = `direction-${centreId.slice(0, 8)}@afpa-rennes.fr`;
    const invited = await L.call('POST', `/centres/${centreId}/accounts`, { as: DREETS, body: { email } });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.json).toEqual({ email, group: 'centre', ledgerId: centreId, status: 'invited' });

    // The sign-in page's local control (loopback only): signing in as the invited account.
    const signIn = (address: string) => L.call('POST', '/_local/tokens', { body: { email: address } });
    const signedIn = await signIn(email);
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(signedIn.json).toMatchObject({ role: 'centre', ledgerId: centreId });
    const claims = decodeJwt(signedIn.json.token);
    expect(claims).toMatchObject({ 'custom:ledger_id': centreId, 'cognito:groups': ['centre'] });
    expect(claims.sub).not.toBe(centreId);
    const bearer = { authorization: `Bearer ${signedIn.json.token}` };
    const registered = await L.call('POST', '/candidates', { headers: bearer, body: { familyName: 'Martin', givenNames: 'Léa', birthDate: '1995-06-14' } });
    expect(registered.status, registered.text).toBe(201);
    // The centre's read model follows its commit through the change feed (on the twin, DynamoDB Streams).
    await eventually(async () => (await L.call('GET', `/centres/${centreId}/sessions`, { headers: bearer })).status === 200, 'the centre reads its sessions', WAIT);
    expect((await L.call('GET', `/centres/${otherId}/sessions`, { headers: bearer })).status).toBe(403);

    expect((await signIn('nobody@exemple.fr')).json).toMatchObject({ status: 404, type: '/problems/account-not-found' });
    const disabled = await L.call('DELETE', `/centres/${centreId}/accounts/${encodeURIComponent(email)}`, { as: DREETS });
    expect(disabled.status, disabled.text).toBe(204);
    expect((await signIn(email)).json).toMatchObject({ status: 403, type: '/problems/account-disabled' });
    // The token it was given before is refused by the ledger at once, though it has not expired (issue 17).
    const refused = await L.call('GET', `/centres/${centreId}/sessions`, { headers: bearer });
    expect(refused.status, refused.text).toBe(401);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.json).toMatchObject({ status: 401, type: '/problems/sign-in-revoked' });
    expect((await L.call('POST', '/candidates', { headers: bearer, body: { familyName: 'Durand', givenNames: 'Paul', birthDate: '1990-01-02' } })).status).toBe(401);
  }, 120_000);

  it("erasure: the candidate's account is disabled, its token refused, and an erasure again changes nothing", async () => {
    const centreId = (await L.call('POST', '/centres', { as: DREETS, body: { name: 'Centre AFPA Vannes', region: 'Bretagne' } })).json.centreId as string;
    const asCentre: As = ['centre', centreId];
    const registered = await L.call('POST', '/candidates', { as: asCentre, body: { familyName: 'Leroy', givenNames: 'Inès', birthDate: '1998-03-21' } });
    expect(registered.status, registered.text).toBe(201);
    const { candidateId } = registered.json as { candidateId: string };
    const email = `ines-${candidateId.slice(0, 8)}@exemple.fr`;
    // The centre's candidate list follows the registration through the change feed before the invitation reads it.
    const invited = await eventually(
      async () => {
        const r = await L.call('POST', `/candidates/${candidateId}/accounts`, { as: asCentre, body: { email } });
        return r.status === 201 ? r : undefined;
      },
      "the candidate's account invited",
      WAIT,
    );
    expect(invited.json).toMatchObject({ email, group: 'candidate', ledgerId: candidateId });
    const signedIn = await L.call('POST', '/_local/tokens', { body: { email } });
    expect(signedIn.status, signedIn.text).toBe(200);
    const bearer = { authorization: `Bearer ${signedIn.json.token}` };
    await eventually(async () => (await L.call('GET', `/candidates/${candidateId}/record`, { headers: bearer })).status === 200, 'the candidate reads their record', WAIT);

    const erased = await L.call('DELETE', `/candidates/${candidateId}/personal-data`, { as: DREETS });
    expect(erased.status, erased.text).toBe(204);
    const refused = await L.call('GET', `/candidates/${candidateId}/record`, { headers: bearer });
    expect(refused.status, refused.text).toBe(401);
    expect(refused.json).toMatchObject({ status: 401, type: '/problems/sign-in-revoked' });
    // Locally the sign-in reads the ledger and names the erasure; on the twin, Cognito knows only that the account is disabled.
    const signInRefusal = TARGET === 'local' ? '/problems/personal-data-erased' : '/problems/account-disabled';
    expect((await L.call('POST', '/_local/tokens', { body: { email } })).json).toMatchObject({ status: 403, type: signInRefusal });
    // Retried: still 204, the account still disabled.
    expect((await L.call('DELETE', `/candidates/${candidateId}/personal-data`, { as: DREETS })).status).toBe(204);
    expect((await L.call('POST', '/_local/tokens', { body: { email } })).json).toMatchObject({ status: 403, type: signInRefusal });
  }, 120_000);
});
