import { describe, expect, it } from 'vitest';
import { certification, certificationStream } from '../../domain/certification.js';
import type { CertificationVersion } from '../../events/certification.js';
import { memoryScenario, titreAtSession } from '../support/memory-titre.js';
import { version } from '../domain/fixtures.js';

/**
 * No version of the referential has a CCS (the seeds list none), so this one is registered by the test: a titre
 * of two blocs and one certificat complémentaire de spécialisation (DESIGN.md rule 14).
 */
const RNCP = 'RNCP99901';
const CCS = 'RNCP99901CCS01';
const withCcs: CertificationVersion = version({
  rncp: RNCP,
  blocs: ['BC01', 'BC02'].map((b) => ({ code: `${RNCP}${b}`, title: `Bloc ${b}`, competences: [{ code: `${RNCP}${b}C1`, title: 'c1' }] })),
  ccs: [{ code: CCS, title: 'Spécialisation multicanal', competences: [{ code: `${CCS}C1`, title: 'c1' }] }],
});

describe('CCS through the route manifest', () => {
  it('a titre holder sits a CCS at a centre agreed for it and gets a CCS certificate; a candidate without the titre is refused', async () => {
    const w = await memoryScenario();
    const { h, clock, call, s } = w;
    await h.deps.commands.handle(
      certification,
      certificationStream(RNCP),
      { type: 'RegisterCertificationVersion', version: withCcs },
      { commandId: 'ccs-test', actor: 'system:test', correlationId: 'ccs-test', now: clock.now() },
    );
    await h.settle();
    const {
      centreId,
      jurors,
      holder,
      others: [newcomer],
    } = await titreAtSession(w, RNCP, 'Titulaire', ['Nouveau']);

    const ccsBody = { rncp: RNCP, kind: 'ccs', blocs: [CCS], centreId, startsOn: '2025-11-03', endsOn: '2025-11-03' };
    const notAgreed = await call('POST', '/sessions', { as: ['centre', centreId], body: ccsBody });
    expect(notAgreed.json.type).toBe('/problems/centre-not-agreed-for-ccs');
    expect(
      (await call('POST', `/centres/${centreId}/agrements`, { as: ['dreets', 'agent-1', 'Bretagne'], body: { rncp: RNCP, validUntil: '2027-12-31', ccs: [CCS] } })).status,
    ).toBe(201);
    const { sessionId } = (await call('POST', '/sessions', { as: ['centre', centreId], body: ccsBody })).json;
    expect((await call('PUT', `/sessions/${sessionId}/jury`, { as: ['centre', centreId], body: { members: jurors } })).status).toBe(200);
    const refused = await call('POST', `/sessions/${sessionId}/enrolments`, { as: ['centre', centreId], body: { candidateId: newcomer, route: 'formation_continue' } });
    expect(refused.json.type).toBe('/problems/ccs-needs-titre');
    await s.enrol(centreId, sessionId, holder);
    clock.set('2025-11-03T15:00:00Z');
    await s.deliberate(sessionId, jurors, holder, 'ccp', [{ code: CCS, competences: [{ code: `${CCS}C1` }] }], [CCS]);
    await s.validatePv(sessionId);

    const record = (await call('GET', `/candidates/${holder}/record`, { as: ['candidate', holder] })).json;
    const ccsCertificate = record.certificates.find((c: { kind: string }) => c.kind === 'ccs');
    expect(ccsCertificate).toMatchObject({ rncp: RNCP, blocs: [CCS], status: 'valid' });
    const verified = await call('GET', `/verify/${ccsCertificate.code}`);
    expect(verified.json).toMatchObject({ kind: 'ccs', blocs: [{ code: CCS, title: 'Spécialisation multicanal' }] });
    expect((await call('GET', `/certifications/${RNCP}`)).json.ccs).toMatchObject([{ code: CCS }]);
  });
});
