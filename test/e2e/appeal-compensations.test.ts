import { describe, expect, it } from 'vitest';
import { scenario, type Caller } from '../support/scenario.js';
import { startTestLedger } from '../support/local-ledger.js';

const RNCP = 'RNCP38665';

// Local only: besides HTTP, it reads the candidate's stream for the compensating events (L.deps.store). The same
// appeal over HTTP alone runs on both targets in journeys.test.ts.
describe('appeals, through HTTP only, and the compensating events in the store', () => {
  it('annulling a final decision appends compensating events: blocs and titre withdrawn, certificate revoked, candidate told', async () => {
    const L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
    try {
      const call: Caller = (method, path, opts = {}) => L.call(method, path, { as: opts.as as never, body: opts.body, headers: opts.headers });
      const s = scenario(call);
      const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
      const jurors = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
      const { sessionId, candidateId } = await s.titreDeliberated(RNCP, centreId, jurors, 'Recours', {
        startsOn: '2025-10-06',
        endsOn: '2025-10-06',
        deliberatedAt: '2025-10-06T15:00:00Z',
        setClock: (now) => L.call('POST', '/_local/clock', { body: { now } }),
      });
      await s.validatePv(sessionId);
      await L.settle();
      const code = (await L.call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] })).json.certificates[0].code;

      await L.call('POST', '/_local/clock', { body: { now: '2025-11-20T10:00:00Z' } });
      // The DREETS of the centre's region (the scenario's default, Bretagne), which validated the PV.
      const annulled = await L.call('POST', `/sessions/${sessionId}/deliberations/${candidateId}/annulment`, {
        as: ['dreets', 'agent-1', 'Bretagne'],
        body: { reason: 'fraude constatée', legalBasis: 'arrêté du 22 décembre 2015, art. 12' },
      });
      expect(annulled.status, annulled.text).toBe(201);
      await L.settle();

      const record = (await L.call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] })).json;
      expect(record.certifications.find((c: any) => c.rncp === RNCP)?.titre ?? null).toBeNull();
      expect(record.certificates[0]).toMatchObject({ code, status: 'revoked' });
      const verified = (await L.call('GET', `/verify/${code}`)).json;
      expect(verified).toMatchObject({ status: 'revoked' });
      expect((await L.call('GET', `/verify/${code}?asOf=2025-11-19`)).json).toMatchObject({ status: 'valid' });
      // History stays: the record as of before the annulment still shows the titre.
      const before = (await L.call('GET', `/candidates/${candidateId}/record?asOf=2025-11-19`, { as: ['candidate', candidateId] })).json;
      expect(before.certifications[0].titre).toMatchObject({ certificateCode: code });
      const notes = (await L.call('GET', `/candidates/${candidateId}/notifications`, { as: ['candidate', candidateId] })).json;
      expect(notes.map((n: any) => n.kind)).toEqual(['session-results', 'decision-annulled']);
      const types = (await L.deps.store.read(`candidate#${candidateId}`)).commits.flatMap((c) => c.events.map((e) => e.type));
      expect(types.filter((t) => t === 'TitreAnnulled')).toHaveLength(1);
      expect(types.filter((t) => t === 'CcpAcquisitionAnnulled')).toHaveLength(2);
    } finally {
      await L.stop();
    }
  });
});
