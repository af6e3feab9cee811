import { describe, expect, it } from 'vitest';
import { scenario, type Caller } from '../support/scenario.js';
import { ERASED_TEXT } from '../../functions/shared/decision-notes.js';
import { startTestLedger } from '../support/local-ledger.js';

const RNCP = 'RNCP38665';

// Local only: besides HTTP, it reads the candidate's stream for the compensating events (L.deps.store). The same
// appeal over HTTP alone runs on both targets in journeys.test.ts.
describe('appeals, through HTTP only, and the compensating events in the store', () => {
  it('annulling a final decision appends compensating events: blocs and titre withdrawn, certificate revoked, candidate told; its reason lives and dies with the person’s data', async () => {
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
      // A reason that names the candidate, as agents write them: it must live and die with the person's data.
      const reason = 'Fraude constatée : Mme Recours a fait passer l’épreuve par un tiers';
      const legalBasis = 'Arrêté du 22 décembre 2015, art. 12 ; plainte de Mme Recours';
      // The DREETS of the centre's region (the scenario's default, Bretagne), which validated the PV.
      const annulled = await L.call('POST', `/sessions/${sessionId}/deliberations/${candidateId}/annulment`, {
        as: ['dreets', 'agent-1', 'Bretagne'],
        body: { reason, legalBasis },
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
      // The candidate is told without the reason (the message is stored and emailed); they read it with the certificate.
      expect(notes.at(-1).text).toMatch(/annulée/);
      expect(notes.at(-1).text).not.toMatch(/Fraude|Mme Recours/);
      expect(record.certificates[0].history.at(-1)).toEqual({ status: 'revoked', on: '2025-11-20', reason, legalBasis });
      const dreets = ['dreets', 'agent-1', 'Bretagne'] as const;
      const session = (await L.call('GET', `/sessions/${sessionId}`, { as: [...dreets] })).json;
      expect(session.annulments).toEqual([expect.objectContaining({ candidateId, reason, legalBasis })]);
      const streams = [`candidate#${candidateId}`, `session#${sessionId}`, `certificate#${code}`];
      const stored = await Promise.all(streams.map((stream) => L.deps.store.read(stream)));
      const types = stored[0]!.commits.flatMap((c) => c.events.map((e) => e.type));
      expect(types.filter((t) => t === 'TitreAnnulled')).toHaveLength(1);
      expect(types.filter((t) => t === 'CcpAcquisitionAnnulled')).toHaveLength(2);
      // No event of the annulment, its compensations or the revocation holds the text: only the note in the vault.
      expect(stored.map((slice) => JSON.stringify(slice.commits)).join('\n')).not.toMatch(/Fraude constatée|plainte de Mme/);

      expect((await L.call('DELETE', `/candidates/${candidateId}/personal-data`, { as: [...dreets] })).status).toBe(204);
      const erased = (await L.call('GET', `/sessions/${sessionId}`, { as: [...dreets] })).json;
      expect(erased.annulments).toEqual([expect.objectContaining({ candidateId, reason: ERASED_TEXT, legalBasis: ERASED_TEXT })]);
      const after = (await L.call('GET', `/candidates/${candidateId}/record`, { as: [...dreets] })).json;
      expect(after.certificates[0].history.at(-1)).toEqual({ status: 'revoked', on: '2025-11-20', reason: ERASED_TEXT, legalBasis: ERASED_TEXT });
    } finally {
      await L.stop();
    }
  });
});
