import { randomBytes } from 'node:crypto';
import { compactVerify, createLocalJWKSet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateCodeFromBytes } from '../../domain/certificate-code.js';
import { sha256 } from '../../events/canonical-json.js';
import { MemoryRateLimiter } from '../../functions/adapters/memory-rate-limiter.js';
import { newCertificateCode, type IssueCertificateInput } from '../../functions/certificates/issue-certificate.js';
import { issueCertificate } from '../support/issue-certificate.js';
import type { Signer } from '../../functions/ports/signer.js';
import { callRoute, commitCount } from '../support/call-route.js';
import { memoryDeps, TestClock } from '../support/memory-deps.js';
import { memoryScenario } from '../support/memory-titre.js';
import { registeredCentre } from '../support/registered-centre.js';

type Harness = Awaited<ReturnType<typeof memoryDeps>>;
const dreets: [string, string, string] = ['dreets', 'agent-1', 'Bretagne'];

async function registerCandidate(h: Harness, familyName = 'Moreau-Lefèvre', givenNames = 'Claire Anne') {
  const centreId = await registeredCentre((method, path, call) => callRoute(h.deps, method, path, call));
  const res = await callRoute(h.deps, 'POST', '/candidates', { as: ['centre', centreId], body: { familyName, givenNames, birthDate: '1990-04-02' } });
  expect(res.status).toBe(201);
  return res.json.candidateId as string;
}

async function issue(h: Harness, over: Partial<IssueCertificateInput> = {}) {
  const candidateId = over.candidateId ?? (await registerCandidate(h));
  const input: IssueCertificateInput = {
    code: newCertificateCode(),
    candidateId,
    kind: 'titre',
    rncp: 'RNCP38665',
    blocs: ['RNCP38665BC01', 'RNCP38665BC02'],
    issuedOn: '2025-09-01',
    sessionId: 'session-1',
    commandId: `issue-${Math.random()}`,
    ...over,
  };
  const result = await issueCertificate(h.deps, input);
  await h.settle();
  return { ...input, result };
}

describe('certificates: issuance and verification by code', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await memoryDeps();
  });

  it('verifies an issued certificate with the minimum: status, certification, blocs, date, masked holder, ledger coordinates', async () => {
    const { code, candidateId, result } = await issue(h);
    const res = await callRoute(h.deps, 'GET', `/verify/${code}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      code,
      status: 'valid',
      statusSince: '2025-09-01',
      kind: 'titre',
      certification: { rncp: 'RNCP38665', title: expect.stringContaining('Manager d'), level: 5 },
      blocs: [
        { code: 'RNCP38665BC01', title: expect.stringContaining('Piloter') },
        { code: 'RNCP38665BC02', title: expect.stringContaining('management') },
      ],
      issuedAt: '2025-09-01',
      holder: { display: 'C. M****' },
      asOf: '2025-09-01',
      history: [{ status: 'valid', on: '2025-09-01' }],
      ledger: result.issuance,
    });
    const first = (await h.deps.store.read(`certificate#${code}`)).commits[0]!;
    expect(result.issuance).toEqual({ stream: `certificate#${code}`, version: 1, hash: first.hash });
    for (const personal of ['Moreau', 'Lefèvre', 'Claire', '1990', candidateId]) expect(res.text).not.toContain(personal);
  });

  it('reads the code as people type it', async () => {
    const { code } = await issue(h);
    const typed = ` ${code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l')} `;
    const res = await callRoute(h.deps, 'GET', `/verify/${encodeURIComponent(typed)}`);
    expect(res.status).toBe(200);
    expect(res.json.code).toBe(code);
  });

  it('answers whether a typed family name matches, ignoring case and accents, and never tells the name', async () => {
    const { code } = await issue(h);
    const yes = await callRoute(h.deps, 'GET', `/verify/${code}?familyName=${encodeURIComponent('moreau lefevre')}`);
    expect(yes.json.familyNameMatches).toBe(true);
    const no = await callRoute(h.deps, 'GET', `/verify/${code}?familyName=Moreau`);
    expect(no.json.familyNameMatches).toBe(false);
    expect(no.text).not.toMatch(/Lef/);
  });

  it('answers unknown, malformed and mistyped codes with the same 404, before and after any lookup', async () => {
    const { code } = await issue(h);
    const wrongCheck = code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
    const answers = await Promise.all(
      [newCertificateCode(), wrongCheck, 'not-a-code', 'ABCD', `${code}7`, code.replace(/-/g, '').slice(1)].map((c) =>
        callRoute(h.deps, 'GET', `/verify/${encodeURIComponent(c)}`),
      ),
    );
    for (const a of answers) {
      expect(a.status).toBe(404);
      expect(a.headers).toEqual({ 'content-type': 'application/problem+json', 'access-control-allow-origin': '*' });
      expect(a.text).toBe(answers[0]!.text);
    }
    expect(answers[0]!.json).toMatchObject({ status: 404, type: '/problems/certificate-not-found' });
  });

  it('finds nothing for 10,000 random well-formed codes, all answered with identical bodies', async () => {
    const bodies = new Set<string>();
    const statuses = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const res = await callRoute(h.deps, 'GET', `/verify/${certificateCodeFromBytes(randomBytes(10))}`);
      statuses.add(res.status);
      bodies.add(res.text);
    }
    expect([...statuses]).toEqual([404]);
    expect(bodies.size).toBe(1);
  }, 120_000);

  it('answers with 429 problem+json past the limiter threshold, for codes known or not', async () => {
    const local = await memoryDeps();
    local.deps.rateLimiter = new MemoryRateLimiter({ limit: 5, windowSeconds: 1_000_000 });
    const { code } = await issue(local);
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await callRoute(local.deps, 'GET', `/verify/${i % 2 ? code : newCertificateCode()}`));
    expect(answers.map((a) => a.status)).toEqual([404, 200, 404, 200, 404, 429, 429]);
    const limited = answers[6]!;
    expect(limited.headers['content-type']).toBe('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json).toMatchObject({ status: 429, type: '/problems/rate-limited' });
    expect(limited.text).not.toContain(code);
    // The credential and the PDF draw on the same budget.
    expect((await callRoute(local.deps, 'GET', `/certificates/${code}/credential`)).status).toBe(429);
    expect((await callRoute(local.deps, 'GET', `/certificates/${code}/pdf`)).status).toBe(429);
  });

  it('shows an erased holder as erased, and a typed name then never matches', async () => {
    const { code, candidateId } = await issue(h);
    await h.deps.vault.forget(candidateId);
    const res = await callRoute(h.deps, 'GET', `/verify/${code}?familyName=Moreau-Lef%C3%A8vre`);
    expect(res.json.holder).toEqual({ display: '(données effacées)' });
    expect(res.json.familyNameMatches).toBe(false);
    expect(res.json.status).toBe('valid');
  });

  it('serves the credential as application/vc+jwt, verifiable with the JWKS alone', async () => {
    const { code, result } = await issue(h);
    const res = await callRoute(h.deps, 'GET', `/certificates/${code}/credential`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vc+jwt');
    expect(res.text).toBe(result.credential.jws);
    const jwks = await callRoute(h.deps, 'GET', '/.well-known/jwks.json');
    expect(jwks.headers['content-type']).toBe('application/jwk-set+json');
    const { payload, protectedHeader } = await compactVerify(res.text, createLocalJWKSet(jwks.json));
    // OB 3.0's header (typ JWT), the key named by its DID URL under the certifier's did:web.
    expect(protectedHeader).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      kid: `did:web:ledger.test:certifiers:ministere-du-travail-du-plein-emploi-et-de-l-insertion#${result.credential.kid}`,
    });
    const credential = JSON.parse(new TextDecoder().decode(payload));
    expect(credential).toMatchObject({
      iss: 'did:web:ledger.test:certifiers:ministere-du-travail-du-plein-emploi-et-de-l-insertion',
      issuer: { id: 'did:web:ledger.test:certifiers:ministere-du-travail-du-plein-emploi-et-de-l-insertion' },
      jti: credential.id,
      sub: expect.stringMatching(/^urn:uuid:[0-9a-f-]{36}$/),
      nbf: Date.parse(credential.validFrom) / 1000,
      credentialSubject: { id: credential.sub },
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListCredential: 'https://ledger.test/status-lists/ministere-du-travail-du-plein-emploi-et-de-l-insertion-1',
      },
    });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(credential.evidence[0]).toMatchObject({ ledgerStream: result.issuance.stream, ledgerVersion: 1, ledgerHash: result.issuance.hash });
  });

  it('serves the PDF whose SHA-256 the ledger recorded', async () => {
    const { code, result } = await issue(h);
    const res = await callRoute(h.deps, 'GET', `/certificates/${code}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const stored = await h.deps.documents.get(result.pdf.key);
    expect(sha256(stored!.body)).toBe(result.pdf.sha256);
    expect(res.text.startsWith('%PDF-')).toBe(true);
  });

  it('refuses to serve a PDF that no longer matches the ledger', async () => {
    const local = await memoryDeps();
    const { code, result } = await issue(local);
    await local.deps.documents.put(result.pdf.key, new Uint8Array([1, 2, 3]), 'application/pdf');
    expect((await callRoute(local.deps, 'GET', `/certificates/${code}/pdf`)).status).toBe(500);
  });
});

describe('certificates: issuance is idempotent', () => {
  it('a retry with the same code appends nothing and returns the same result', async () => {
    const h = await memoryDeps();
    const first = await issue(h);
    const before = await commitCount(h.deps);
    const again = await issueCertificate(h.deps, first);
    expect(again).toEqual(first.result);
    expect(await commitCount(h.deps)).toBe(before);
  });

  it('a retry after a crash between the issuance and its documents finishes the issuance with the same coordinates', async () => {
    const h = await memoryDeps();
    const signer = h.deps.signer!;
    const failing: Signer = { ...signer, publicKeys: () => signer.publicKeys(), rotate: () => signer.rotate(), sign: async () => Promise.reject(new Error('KMS unavailable')) };
    h.deps.signer = failing;
    const candidateId = await registerCandidate(h);
    const input: IssueCertificateInput = {
      code: newCertificateCode(),
      candidateId,
      kind: 'ccp',
      rncp: 'RNCP38665',
      blocs: ['RNCP38665BC02'],
      issuedOn: '2025-09-01',
      commandId: 'crash-1',
    };
    await expect(issueCertificate(h.deps, input)).rejects.toThrow(/KMS unavailable/);
    await h.settle();
    // Issued already: verification answers, quoting the issuance commit read from the ledger.
    const meanwhile = await callRoute(h.deps, 'GET', `/verify/${input.code}`);
    expect(meanwhile.status).toBe(200);
    expect((await callRoute(h.deps, 'GET', `/certificates/${input.code}/credential`)).status).toBe(404);
    h.deps.signer = signer;
    const done = await issueCertificate(h.deps, input);
    await h.settle();
    expect(done.issuance).toEqual(meanwhile.json.ledger);
    expect((await h.deps.store.read(`certificate#${input.code}`)).version).toBe(2);
    expect((await callRoute(h.deps, 'GET', `/verify/${input.code}`)).json.ledger).toEqual(done.issuance);
  });

  it('refuses a code that is not one, an unknown certification and a bloc it does not have, appending nothing', async () => {
    const h = await memoryDeps();
    const candidateId = await registerCandidate(h);
    const before = await commitCount(h.deps);
    const base = { candidateId, kind: 'ccp' as const, rncp: 'RNCP38665', blocs: ['RNCP38665BC01'], issuedOn: '2025-09-01', commandId: 'x' };
    await expect(issueCertificate(h.deps, { ...base, code: 'ABCD-EFGH' })).rejects.toMatchObject({ code: 'invalid-certificate-code' });
    await expect(issueCertificate(h.deps, { ...base, code: newCertificateCode().toLowerCase() })).rejects.toMatchObject({ code: 'invalid-certificate-code' });
    await expect(issueCertificate(h.deps, { ...base, code: newCertificateCode(), rncp: 'RNCP99999' })).rejects.toMatchObject({ code: 'certification-not-found' });
    await expect(issueCertificate(h.deps, { ...base, code: newCertificateCode(), blocs: ['RNCP32340BC01'] })).rejects.toMatchObject({ code: 'unknown-bloc' });
    expect(await commitCount(h.deps)).toBe(before);
  });
});

describe('certificates: suspension, reinstatement, revocation', () => {
  it('shows each status with its date, never its reason (the holder and the DREETS read it in the record), and answers as of a past date', async () => {
    const clock = new TestClock('2025-09-01T08:00:00.000Z');
    const h = await memoryDeps({ clock });
    const { code } = await issue(h);
    const change = (verb: string, reason: string) =>
      callRoute(h.deps, 'POST', `/certificates/${code}/${verb}`, { as: dreets, body: { reason, legalBasis: 'Arrêté du 22 décembre 2015, art. 9' } });

    clock.set('2025-10-10T09:00:00Z');
    expect((await change('suspension', 'Enquête sur une fraude')).json).toEqual({ code, status: 'suspended' });
    clock.set('2025-10-20T09:00:00Z');
    expect((await change('reinstatement', 'Enquête close sans suite')).json).toEqual({ code, status: 'valid' });
    clock.set('2025-11-05T09:00:00Z');
    const revoked = await change('revocation', 'Fraude établie');
    expect(revoked.status).toBe(201);
    await h.settle();

    const now = await callRoute(h.deps, 'GET', `/verify/${code}`);
    expect(now.json).toMatchObject({ status: 'revoked', asOf: '2025-11-05' });
    expect(now.json).toMatchObject({ statusSince: '2025-11-05' });
    expect(now.json.history).toEqual([
      { status: 'valid', on: '2025-09-01' },
      { status: 'suspended', on: '2025-10-10' },
      { status: 'valid', on: '2025-10-20' },
      { status: 'revoked', on: '2025-11-05' },
    ]);
    expect(now.text).not.toContain('agent-1');
    expect(now.text).not.toContain('Fraude');
    expect(now.text).not.toContain('Arrêté');
    const forHolder = await callRoute(h.deps, 'GET', `/certificates/${code}/verifications`, { as: dreets });
    expect(forHolder.json.statusHistory.at(-1)).toEqual({ status: 'revoked', on: '2025-11-05', reason: 'Fraude établie', legalBasis: 'Arrêté du 22 décembre 2015, art. 9' });
    const dayBefore = await callRoute(h.deps, 'GET', `/verify/${code}?asOf=2025-11-04`);
    expect(dayBefore.json).toMatchObject({ status: 'valid', asOf: '2025-11-04' });
    expect(dayBefore.json.history).toHaveLength(3);
    expect((await callRoute(h.deps, 'GET', `/verify/${code}?asOf=2025-10-15`)).json.status).toBe('suspended');
    // Before the issue date the code answers that it was not yet issued (not the 404 of a code never issued);
    // a future date answers for today.
    const before = await callRoute(h.deps, 'GET', `/verify/${code}?asOf=2025-08-31`);
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ code, status: 'not_yet_issued', issuedAt: '2025-09-01', asOf: '2025-08-31', history: [] });
    expect(before.json.statusSince).toBeUndefined();
    expect((await callRoute(h.deps, 'GET', `/verify/${newCertificateCode()}?asOf=2025-08-31`)).status).toBe(404);
    expect((await callRoute(h.deps, 'GET', `/verify/${code}?asOf=2030-01-01`)).json).toMatchObject({ status: 'revoked', asOf: '2025-11-05' });
  });

  it('refuses what the rules refuse, appending nothing', async () => {
    const h = await memoryDeps();
    const { code } = await issue(h);
    const body = { reason: 'r', legalBasis: 'l' };
    const before = await commitCount(h.deps);
    expect((await callRoute(h.deps, 'POST', `/certificates/${code}/reinstatement`, { as: dreets, body })).json.type).toBe('/problems/certificate-not-suspended');
    expect((await callRoute(h.deps, 'POST', `/certificates/${code}/suspension`, { as: ['centre', 'c1'], body })).status).toBe(403);
    expect((await callRoute(h.deps, 'POST', `/certificates/${code}/suspension`, { body })).status).toBe(401);
    expect((await callRoute(h.deps, 'POST', `/certificates/${code}/suspension`, { as: dreets, body: { reason: '' } })).status).toBe(400);
    expect((await callRoute(h.deps, 'POST', `/certificates/${newCertificateCode()}/revocation`, { as: dreets, body })).status).toBe(404);
    expect((await callRoute(h.deps, 'POST', `/certificates/not-a-code/revocation`, { as: dreets, body })).status).toBe(404);
    expect(await commitCount(h.deps)).toBe(before);
    expect((await callRoute(h.deps, 'POST', `/certificates/${code}/revocation`, { as: dreets, body })).status).toBe(201);
    const again = await callRoute(h.deps, 'POST', `/certificates/${code}/suspension`, { as: dreets, body });
    expect(again.status).toBe(422);
    expect(again.json.type).toBe('/problems/certificate-revoked');
  });

  it('only an agent of the region whose representative validated the PV (or decided the équivalence) changes the status: another region gets 403 outside-territory, appending nothing', async () => {
    const h = await memoryDeps();
    const centre = await callRoute(h.deps, 'POST', '/centres', { as: ['dreets', 'agent-0', 'Occitanie'], body: { name: 'AFPA Toulouse', region: 'Occitanie' } });
    expect(centre.status).toBe(201);
    const centreId = centre.json.centreId as string;
    const registered = await callRoute(h.deps, 'POST', '/candidates', { as: ['centre', centreId], body: { familyName: 'Moreau', givenNames: 'Claire', birthDate: '1990-04-02' } });
    // No session: an équivalence's certificate, whose competent territory is the candidate's centre's.
    const { code } = await issue(h, { candidateId: registered.json.candidateId, sessionId: undefined, route: 'equivalence' });
    const body = { reason: 'Fraude établie', legalBasis: 'Arrêté du 22 décembre 2015, art. 9' };
    const before = await commitCount(h.deps);
    for (const verb of ['suspension', 'revocation']) {
      const elsewhere = await callRoute(h.deps, 'POST', `/certificates/${code}/${verb}`, { as: ['dreets', 'agent-1', 'Bretagne'], body });
      expect([verb, elsewhere.status, elsewhere.json.type]).toEqual([verb, 403, '/problems/outside-territory']);
    }
    expect((await callRoute(h.deps, 'POST', `/certificates/${code}/revocation`, { as: ['dreets', 'agent-9'], body })).json.type).toBe('/problems/outside-territory');
    expect(await commitCount(h.deps)).toBe(before);
    expect((await callRoute(h.deps, 'POST', `/certificates/${code}/suspension`, { as: ['dreets', 'agent-2', 'Occitanie'], body })).status).toBe(201);
    expect((await callRoute(h.deps, 'POST', `/certificates/${code}/reinstatement`, { as: ['dreets', 'agent-1', 'Bretagne'], body })).json.type).toBe('/problems/outside-territory');
    expect((await callRoute(h.deps, 'POST', `/certificates/${code}/revocation`, { as: ['dreets', 'agent-2', 'Occitanie'], body })).status).toBe(201);
  });

  it("a session's certificate is in the territory of the session's centre, not of the centre that registered the candidate", async () => {
    const w = await memoryScenario();
    const rncp = 'RNCP38665';
    const heldAt = await w.s.centre(rncp, { region: 'Occitanie', validUntil: '2027-12-31' });
    const sessionId = await w.s.session(
      heldAt,
      { rncp, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' },
      await w.s.jurors(rncp, 2, { validUntil: '2027-12-31', region: 'Occitanie' }),
    );
    const candidateId = await w.s.candidate(await w.s.centre(rncp, { region: 'Bretagne', validUntil: '2027-12-31' }), 'Moreau');
    const { code } = await issue(w.h, { candidateId, sessionId });
    const body = { reason: 'Fraude établie', legalBasis: 'Arrêté du 22 décembre 2015, art. 9' };
    const bretagne = await callRoute(w.h.deps, 'POST', `/certificates/${code}/suspension`, { as: ['dreets', 'agent-1', 'Bretagne'], body });
    expect([bretagne.status, bretagne.json.type]).toEqual([403, '/problems/outside-territory']);
    expect((await callRoute(w.h.deps, 'POST', `/certificates/${code}/suspension`, { as: ['dreets', 'agent-2', 'Occitanie'], body })).status).toBe(201);
  });

  it('replays a status change sent again with the same Idempotency-Key', async () => {
    const h = await memoryDeps();
    const { code } = await issue(h);
    const call = () =>
      callRoute(h.deps, 'POST', `/certificates/${code}/suspension`, { as: dreets, body: { reason: 'r', legalBasis: 'l' }, headers: { 'idempotency-key': 'suspend-1' } });
    expect((await call()).status).toBe(201);
    const again = await call();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await h.deps.store.read(`certificate#${code}`)).version).toBe(3);
  });
});

describe('certificates: the holder sees every verification', () => {
  it('lists the verifications for the holder and the DREETS, never who verified', async () => {
    const clock = new TestClock('2025-09-01T08:00:00.000Z');
    const h = await memoryDeps({ clock });
    const { code, candidateId } = await issue(h);
    await callRoute(h.deps, 'GET', `/verify/${code}`);
    clock.set('2025-09-02T10:00:00Z');
    await callRoute(h.deps, 'GET', `/verify/${code}?familyName=Moreau-Lef%C3%A8vre&asOf=2025-09-01`);
    await callRoute(h.deps, 'GET', `/verify/${newCertificateCode()}`);

    const mine = await callRoute(h.deps, 'GET', `/certificates/${code}/verifications`, { as: ['candidate', candidateId] });
    expect(mine.status).toBe(200);
    expect(mine.json).toEqual({
      code,
      verifications: [
        { at: '2025-09-01T08:00:00.000Z', status: 'valid', asOf: '2025-09-01', familyNameChecked: false },
        { at: '2025-09-02T10:00:00.000Z', status: 'valid', asOf: '2025-09-01', familyNameChecked: true, familyNameMatches: true },
      ],
      statusHistory: [{ status: 'valid', on: '2025-09-01' }],
    });
    expect((await callRoute(h.deps, 'GET', `/certificates/${code}/verifications`, dreetsCall())).json.verifications).toHaveLength(2);
    expect((await callRoute(h.deps, 'GET', `/certificates/${code}/verifications`, { as: ['candidate', 'someone-else'] })).status).toBe(403);
    expect((await callRoute(h.deps, 'GET', `/certificates/${newCertificateCode()}/verifications`, { as: ['candidate', candidateId] })).status).toBe(403);
    expect((await callRoute(h.deps, 'GET', `/certificates/${newCertificateCode()}/verifications`, dreetsCall())).status).toBe(404);
    expect((await callRoute(h.deps, 'GET', `/certificates/${code}/verifications`, { as: ['centre', 'centre-1'] })).status).toBe(403);
  });
});

const dreetsCall = () => ({ as: dreets });
