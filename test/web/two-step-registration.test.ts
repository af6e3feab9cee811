import { describe, expect, it } from 'vitest';
import { callRoute } from '../support/call-route.js';
import { memoryDeps } from '../support/memory-deps.js';
import { dateProblem, GrantRefused, isCalendarDate, twoStepRegistration } from '../../web/src/lib/two-step-registration.js';

const agent: [string, string, string] = ['dreets', 'agent-1', 'Hauts-de-France'];

/** The DREETS page's centre registration, through the real routes: POST /centres then POST …/agrements. */
async function centreFlow() {
  const h = await memoryDeps();
  let keys = 0;
  let registrations = 0;
  const flow = twoStepRegistration({
    register: async (body: { name: string; region: string }, key) => {
      registrations += 1;
      const res = await callRoute(h.deps, 'POST', '/centres', { as: agent, body, headers: { 'Idempotency-Key': key } });
      if (res.status !== 201) throw new Error(`registration refused: ${res.status}`);
      return res.json.centreId as string;
    },
    grant: async (centreId, body: { rncp: string; validUntil: string }) => {
      const res = await callRoute(h.deps, 'POST', `/centres/${centreId}/agrements`, { as: agent, body });
      if (res.status !== 201) throw new Error(`agrément refused: ${res.status} ${res.json?.type}`);
    },
    newKey: () => `form-key-${++keys}`,
  });
  const centres = async () => {
    await h.settle();
    return (await callRoute(h.deps, 'GET', '/centres', { as: agent })).json as { centreId: string; name: string }[];
  };
  return { flow, centres, registrations: () => registrations, keys: () => keys };
}

describe('registering a centre and its agrément from the DREETS page', () => {
  it('given the agrément refused (year 22027), when the same form is sent again corrected, then one centre only, agréé', async () => {
    const { flow, centres, registrations } = await centreFlow();
    const centre = { name: 'GRETA Lille', region: 'Hauts-de-France' };
    const refused = await flow.submit(centre, { rncp: 'RNCP38665', validUntil: '22027-12-31' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GrantRefused);
    expect((refused as GrantRefused).message).toMatch(/400/);
    const centreId = (refused as GrantRefused).id;
    expect(await centres()).toEqual([expect.objectContaining({ centreId, name: 'GRETA Lille' })]);

    const done = await flow.submit(centre, { rncp: 'RNCP38665', validUntil: '2027-12-31' });
    expect(done).toEqual({ id: centreId, registered: false });
    expect(registrations()).toBe(1);
    expect(await centres()).toHaveLength(1);
  });

  it('given a registration whose answer was lost, when sent again, then the same Idempotency-Key: the API replays, no duplicate', async () => {
    const { flow, centres, keys } = await centreFlow();
    const centre = { name: 'AFPA Roubaix', region: 'Hauts-de-France' };
    // The agrément refused twice, then granted: each resubmission of the same centre keeps the key it started with.
    await flow.submit(centre, { rncp: 'RNCP38665', validUntil: '2027-02-30' }).catch(() => undefined);
    await flow.submit(centre, { rncp: 'RNCP38665', validUntil: 'demain' }).catch(() => undefined);
    await flow.submit(centre, { rncp: 'RNCP38665', validUntil: '2027-12-31' });
    expect(keys()).toBe(1);
    expect(await centres()).toHaveLength(1);
  });

  it('given another centre typed in the same form, then a new registration with a new key', async () => {
    const { flow, centres, keys } = await centreFlow();
    await flow.submit({ name: 'Centre A', region: 'Hauts-de-France' }, { rncp: 'RNCP38665', validUntil: '2027-12-31' });
    await flow.submit({ name: 'Centre B', region: 'Hauts-de-France' }, { rncp: 'RNCP38665', validUntil: '2027-12-31' });
    expect(keys()).toBe(2);
    expect((await centres()).map((c) => c.name).sort()).toEqual(['Centre A', 'Centre B']);
  });
});

describe('the dates checked before the first write', () => {
  it('a year of five digits, a day that does not exist, a past date are refused in French; a date to come passes', () => {
    expect(isCalendarDate('22027-12-31')).toBe(false);
    expect(isCalendarDate('2027-02-30')).toBe(false);
    expect(isCalendarDate('2027-02-28')).toBe(true);
    expect(dateProblem('Agrément valable jusqu’au', '22027-12-31', '2026-11-26')).toBe(
      'Le champ « Agrément valable jusqu’au » n’a pas le format attendu (une date comme 31/12/2027, année sur quatre chiffres).',
    );
    expect(dateProblem('Agrément valable jusqu’au', '2026-01-01', '2026-11-26')).toBe('Le champ « Agrément valable jusqu’au » doit être une date à venir.');
    expect(dateProblem('Agrément valable jusqu’au', '', '2026-11-26')).toBe('Le champ « Agrément valable jusqu’au » est obligatoire.');
    expect(dateProblem('Agrément valable jusqu’au', '2027-12-31', '2026-11-26')).toBeUndefined();
  });
});
