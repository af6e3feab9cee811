import { callRoute } from './call-route.js';
import { memoryDeps, TestClock } from './memory-deps.js';
import { scenario, type Caller } from './scenario.js';

/** A ledger in memory on a test clock, called through the route manifest, each call followed by the change feed. */
export async function memoryScenario(start = '2025-09-01T08:00:00.000Z') {
  const clock = new TestClock(start);
  const h = await memoryDeps({ clock });
  const call: Caller = async (method, path, opts = {}) => {
    const res = await callRoute(h.deps, method, path, { as: opts.as, body: opts.body, headers: opts.headers });
    await h.settle();
    return res;
  };
  return { h, clock, call, s: scenario(call) };
}

/**
 * A titre obtained at a session: a centre of the default region and two jurors agreed and habilitated until the end
 * of 2027, the holder (and `others`, registered beside them) at the centre, a titre session on 6 October 2025 whose
 * jury awards every bloc, the PV validated.
 */
export async function titreAtSession(w: Awaited<ReturnType<typeof memoryScenario>>, rncp: string, holderName: string, others: string[] = []) {
  const centreId = await w.s.centre(rncp, { validUntil: '2027-12-31' });
  const jurors = await w.s.jurors(rncp, 2, { validUntil: '2027-12-31' });
  const holder = await w.s.candidate(centreId, holderName);
  const registered: string[] = [];
  for (const name of others) registered.push(await w.s.candidate(centreId, name));
  const blocs = await w.s.blocs(rncp);
  const sessionId = await w.s.session(centreId, { rncp, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' }, jurors);
  await w.s.enrol(centreId, sessionId, holder);
  w.clock.set('2025-10-06T15:00:00Z');
  await w.s.deliberate(
    sessionId,
    jurors,
    holder,
    'titre',
    blocs,
    blocs.map((b) => b.code),
  );
  await w.s.validatePv(sessionId);
  return { centreId, jurors, holder, others: registered, blocs, sessionId };
}
