import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startLedgerTarget, TARGET, type HttpLedger } from '../support/ledger-target.js';
import { scenario, type Caller } from '../support/scenario.js';

const blocOf = (rec: any, rncp: string, code: string) => rec.certifications.find((c: any) => c.rncp === rncp)?.blocs.find((b: any) => b.code === code);

/** A ccp session for `blocs` of `rncp` on `day`, with PV validated the same evening; returns once the candidate's record shows the blocs acquired. */
async function ccpSession(L: HttpLedger, rncp: string, candidateId: string, centreId: string, jurors: string[], blocs: string[], day: string) {
  const call: Caller = (method, path, opts = {}) => L.call(method, path, { ...opts, ...(opts.as ? { as: opts.as } : {}) });
  const s = scenario(call);
  const all = await s.blocs(rncp);
  const sessionId = await s.session(centreId, { rncp, kind: 'ccp', blocs, startsOn: day, endsOn: day }, jurors);
  await s.enrol(centreId, sessionId, candidateId, 'formation_continue', blocs);
  await L.setClock(`${day}T15:00:00Z`);
  await s.deliberate(
    sessionId,
    jurors,
    candidateId,
    'ccp',
    all.filter((b) => blocs.includes(b.code)),
    blocs,
  );
  await s.validatePv(sessionId);
  await eventually(
    async () => {
      const rec = (await L.call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] })).json;
      return blocs.every((code) => blocOf(rec, rncp, code)?.acquired) ? rec : undefined;
    },
    `${blocs.join(', ')} acquired`,
    TARGET === 'twin' ? 90_000 : 30_000,
  );
}

// The capitalisation workflow's timers: in-process timers on npm start, EventBridge Scheduler schedules firing the
// state machine as the clock passes them on the twin. A clock move lets what is under way end first, then walks
// through what falls due.
describe(`capitalisation on the ${TARGET} target with a virtual clock, through HTTP only`, () => {
  let L: HttpLedger | undefined;
  afterAll(async () => L?.stop());
  const recordOf = async (candidateId: string) => (await L!.call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] })).json;

  it('RNCP38665 (titre-validity): blocs of 2025 and 2026 make the candidate eligible; without a titre they lapse a year after the version closes, not before', async () => {
    L = await startLedgerTarget({ clock: 'virtual:2025-09-01T08:00:00Z' });
    const call: Caller = (method, path, opts = {}) => L!.call(method, path, { ...opts, ...(opts.as ? { as: opts.as } : {}) });
    const s = scenario(call);
    const rncp = 'RNCP38665';
    const centreId = await s.centre(rncp, { validUntil: '2029-05-12' });
    const jurors = await s.jurors(rncp, 2, { validUntil: '2029-05-12' });
    const candidateId = await s.candidate(centreId, 'Fontaine');
    await ccpSession(L, rncp, candidateId, centreId, jurors, ['RNCP38665BC01'], '2025-10-06');
    await ccpSession(L, rncp, candidateId, centreId, jurors, ['RNCP38665BC02'], '2026-03-02');
    const line = (await recordOf(candidateId)).certifications.find((c: any) => c.rncp === rncp);
    expect(line).toMatchObject({ eligible: true, missing: [], titre: null });
    expect(line.blocs.map((b: any) => b.usableUntil)).toEqual(['2030-05-12', '2030-05-12']);

    await L.setClock('2030-05-12T20:00:00Z');
    expect((await recordOf(candidateId)).certifications.find((c: any) => c.rncp === rncp)).toMatchObject({ eligible: true });
    await L.setClock('2030-05-13T12:00:00Z');
    const lapsed = (await recordOf(candidateId)).certifications.find((c: any) => c.rncp === rncp);
    expect(lapsed).toMatchObject({ eligible: false });
    expect(lapsed.blocs.every((b: any) => b.lapsed && !b.usable)).toBe(true);
  }, 600_000);
});
