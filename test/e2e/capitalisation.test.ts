import { afterAll, describe, expect, it } from 'vitest';
import { scenario, type Caller } from '../support/scenario.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';

const callerOf =
  (L: LocalLedger): Caller =>
  (method, path, opts = {}) =>
    L.call(method, path, { as: opts.as as never, body: opts.body, headers: opts.headers });

/** A ccp session for `blocs` of `rncp` on `day`, with PV validated the same evening; returns when recorded. */
async function ccpSession(L: LocalLedger, rncp: string, candidateId: string, centreId: string, jurors: string[], blocs: string[], day: string) {
  const s = scenario(callerOf(L));
  const all = await s.blocs(rncp);
  const sessionId = await s.session(centreId, { rncp, kind: 'ccp', blocs, startsOn: day, endsOn: day }, jurors);
  await s.enrol(centreId, sessionId, candidateId, 'formation_continue', blocs);
  await L.call('POST', '/_local/clock', { body: { now: `${day}T15:00:00Z` } });
  await s.deliberate(
    sessionId,
    jurors,
    candidateId,
    'ccp',
    all.filter((b) => blocs.includes(b.code)),
    blocs,
  );
  await s.validatePv(sessionId);
  await L.settle();
}

const record = async (L: LocalLedger, candidateId: string, asOf?: string) =>
  (await L.call('GET', `/candidates/${candidateId}/record${asOf ? `?asOf=${asOf}` : ''}`, { as: ['candidate', candidateId] })).json;
const blocOf = (rec: any, rncp: string, code: string) => rec.certifications.find((c: any) => c.rncp === rncp)?.blocs.find((b: any) => b.code === code);

// Local only: the ledger restarted on its data dir mid-way, and the lapse counted in the candidate's stream
// (L.deps.store). Capitalisation over HTTP alone (two CCP sessions, the reminders, the lapse a year after the
// version closes) is the candidates' journey in journeys.test.ts, on both targets.
describe('capitalisation against the local server with a virtual clock: timers survive a restart', () => {
  const ledgers: LocalLedger[] = [];
  afterAll(async () => {
    for (const L of ledgers) await L.stop().catch(() => {});
  });

  it('RNCP12505 (5 years): a bloc of 2014 lapses the day after its fifth anniversary, reminded 90 days before; timers survive a restart', async () => {
    const first = await startTestLedger({ clock: 'virtual:2014-01-01T00:00:00Z' });
    ledgers.push(first);
    const s = scenario(callerOf(first));
    const rncp = 'RNCP12505';
    const centreId = await s.centre(rncp, { validUntil: '2019-06-30' });
    const jurors = await s.jurors(rncp, 2, { validUntil: '2019-06-30' });
    const candidateId = await s.candidate(centreId, 'Garnier');
    await ccpSession(first, rncp, candidateId, centreId, jurors, ['RNCP12505BC01'], '2014-03-10');
    await ccpSession(first, rncp, candidateId, centreId, jurors, ['RNCP12505BC02'], '2016-06-15');
    expect(blocOf(await record(first, candidateId), rncp, 'RNCP12505BC01')).toMatchObject({ acquired: true, acquiredAt: '2014-03-10', usableUntil: '2019-03-10', usable: true });

    // First move: past the reminder (90 days before 2019-03-10), not yet the check.
    await first.call('POST', '/_local/clock', { body: { now: '2019-01-01T00:00:00Z' } });
    const notes = (await first.call('GET', `/candidates/${candidateId}/notifications`, { as: ['candidate', candidateId] })).json;
    const reminder = notes.find((n: any) => n.kind === 'usability-reminder' && n.bloc === 'RNCP12505BC01');
    expect(reminder).toMatchObject({ at: '2018-12-10T08:00:00.000Z', rncp });
    expect(reminder.text).toContain('10 mars 2019');
    await first.stop();

    // Restart on the same data: the check timer must still be there.
    const second = await startTestLedger({ dataDir: first.dataDir, clock: 'virtual:2014-01-01T00:00:00Z' });
    ledgers.push(second);
    expect(second.clock.now()).toBe('2019-01-01T00:00:00.000Z');
    await second.call('POST', '/_local/clock', { body: { now: '2019-03-11T12:00:00Z' } });
    const lapsedRecord = await record(second, candidateId);
    expect(blocOf(lapsedRecord, rncp, 'RNCP12505BC01')).toMatchObject({ acquired: true, usable: false, lapsed: true });
    // Five years from 2016-06-15 would be 2021-06-15; the 2006 regime never outlives the version (2019-06-30).
    expect(blocOf(lapsedRecord, rncp, 'RNCP12505BC02')).toMatchObject({ usable: true, usableUntil: '2019-06-30' });
    expect(blocOf(await record(second, candidateId, '2019-03-10'), rncp, 'RNCP12505BC01')).toMatchObject({ usable: true });
    const after = (await second.call('GET', `/candidates/${candidateId}/notifications`, { as: ['candidate', candidateId] })).json;
    expect(after.find((n: any) => n.kind === 'usability-lapsed' && n.bloc === 'RNCP12505BC01')).toMatchObject({ at: '2019-03-11T00:00:00.000Z' });
    const lapses = (await second.deps.store.read(`candidate#${candidateId}`)).commits.flatMap((c) => c.events).filter((e) => e.type === 'CcpUsabilityLapsed');
    expect(lapses).toHaveLength(1);
  }, 120_000);

  it('past-due: a bloc granted by an équivalence of 2012 (usable until 2017), recorded in 2025, lapses at once and the candidate is told, the clock unmoved', async () => {
    const L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
    ledgers.push(L);
    const s = scenario(callerOf(L));
    const centreId = await s.centre('RNCP38665', { validUntil: '2029-05-12' });
    const candidateId = await s.candidate(centreId, 'Ancienne');
    const granted = await L.call('POST', `/candidates/${candidateId}/equivalences`, {
      as: ['dreets', 'agent-1', 'Bretagne'],
      body: { rncp: 'RNCP12505', blocs: ['RNCP12505BC01'], titre: false, decidedOn: '2012-03-01', legalBasis: 'Arrêté de spécialité du titre, équivalence partielle' },
    });
    expect(granted.status, JSON.stringify(granted.json)).toBe(201);
    await L.settle();
    expect(L.clock.now()).toBe('2025-09-01T08:00:00.000Z');
    expect(blocOf(await record(L, candidateId), 'RNCP12505', 'RNCP12505BC01')).toMatchObject({
      acquired: true,
      acquiredAt: '2012-03-01',
      usableUntil: '2017-03-01',
      usable: false,
      lapsed: true,
      via: { kind: 'equivalence' },
    });
    const notes = (await L.call('GET', `/candidates/${candidateId}/notifications`, { as: ['candidate', candidateId] })).json as any[];
    expect(notes.filter((n) => n.kind === 'usability-lapsed')).toEqual([expect.objectContaining({ bloc: 'RNCP12505BC01', text: expect.stringContaining('depuis le 2017-03-01') })]);
    // A reminder of a date already past would tell nothing.
    expect(notes.filter((n) => n.kind === 'usability-reminder')).toEqual([]);
    const lapses = (await L.deps.store.read(`candidate#${candidateId}`)).commits.flatMap((c) => c.events).filter((e) => e.type === 'CcpUsabilityLapsed');
    expect(lapses.map((e) => e.data)).toEqual([{ candidateId, rncp: 'RNCP12505', bloc: 'RNCP12505BC01', usableUntil: '2017-03-01' }]);
  }, 120_000);
});
