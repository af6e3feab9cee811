import { beforeAll, describe, expect, it } from 'vitest';
import type { MemoryAccountDirectory } from '../../functions/adapters/memory-account-directory.js';
import { callRoute, commitCount, type Call } from '../support/call-route.js';
import { memoryDeps } from '../support/memory-deps.js';
import { scenario, type As } from '../support/scenario.js';

const RNCP = 'RNCP38665';
const agent: Call['as'] = ['dreets', 'agent-1', 'Bretagne'];
/** The DREETS of centre B's region: a centre's accounts are its region's to give (outside-territory otherwise). */
const occitanie: Call['as'] = ['dreets', 'agent-2', 'Occitanie'];

describe('accounts linked to the ledger, through the route manifest', () => {
  let h: Awaited<ReturnType<typeof memoryDeps>>;
  let directory: MemoryAccountDirectory;
  let centreA: string;
  let centreB: string;
  let jurorId: string;
  let candidateA: string;
  let candidateB: string;
  const call = (method: string, path: string, as: Call['as'], body?: unknown) => callRoute(h.deps, method, path, { as, body });

  /** Refused with this status and problem type; no commit appended, no account created or changed. */
  const refused = async (method: string, path: string, as: Call['as'], body: unknown, status: number, code: string) => {
    await h.settle();
    const commits = await commitCount(h.deps);
    const sent = directory.sent.length;
    const email = (body as { email?: string } | undefined)?.email;
    const before = email ? await h.deps.accounts.find(email.toLowerCase()) : undefined;
    const res = await call(method, path, as, body);
    expect(res.status, res.text).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.type).toBe(`/problems/${code}`);
    expect(await commitCount(h.deps)).toBe(commits);
    expect(directory.sent.length).toBe(sent);
    if (email) expect(await h.deps.accounts.find(email.toLowerCase())).toEqual(before);
    return res;
  };

  beforeAll(async () => {
    h = await memoryDeps();
    directory = h.deps.accounts as MemoryAccountDirectory;
    const s = scenario((method, path, opts = {}) => call(method, path, opts.as, opts.body));
    centreA = await s.centre(RNCP, { validUntil: '2027-12-31', region: 'Bretagne' });
    centreB = await s.centre(RNCP, { validUntil: '2027-12-31', region: 'Occitanie' });
    jurorId = (await s.jurors(RNCP, 1, { validUntil: '2027-12-31' }))[0]!;
    candidateA = await s.candidate(centreA, 'Alpha');
    candidateB = await s.candidate(centreB, 'Beta');
    await h.settle();
  });

  it("a DREETS agent invites a centre's account: 201, linked to the centre, no event appended", async () => {
    const commits = await commitCount(h.deps);
    const res = await call('POST', `/centres/${centreA}/accounts`, agent, { email: 'Direction@AFPA-Rennes.fr' });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({ email: 'direction@afpa-rennes.fr', group: 'centre', ledgerId: centreA, status: 'invited' });
    expect(await h.deps.accounts.find('direction@afpa-rennes.fr')).toEqual({ ...res.json, sub: expect.any(String) });
    expect(directory.sent).toContain('direction@afpa-rennes.fr');
    expect(await commitCount(h.deps)).toBe(commits);
  });

  it('invited again, the same answer and nothing more sent', async () => {
    const first = await call('POST', `/centres/${centreA}/accounts`, agent, { email: 'secretariat@afpa-rennes.fr' });
    const again = await call('POST', `/centres/${centreA}/accounts`, agent, { email: 'secretariat@afpa-rennes.fr' });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.json).toEqual(first.json);
    expect(directory.sent.filter((e) => e === 'secretariat@afpa-rennes.fr')).toHaveLength(1);
  });

  it("invites a juror's account and, by its centre, a candidate's", async () => {
    const juror = await call('POST', `/jurors/${jurorId}/accounts`, agent, { email: 'jure@exemple.fr' });
    expect(juror.status, juror.text).toBe(201);
    expect(juror.json).toEqual({ email: 'jure@exemple.fr', group: 'juror', ledgerId: jurorId, status: 'invited' });
    const candidate = await call('POST', `/candidates/${candidateA}/accounts`, ['centre', centreA], { email: 'alpha@exemple.fr' });
    expect(candidate.status, candidate.text).toBe(201);
    expect(candidate.json).toEqual({ email: 'alpha@exemple.fr', group: 'candidate', ledgerId: candidateA, status: 'invited' });
  });

  it('409 account-exists for an email linked to another centre or another group', async () => {
    expect((await call('POST', `/centres/${centreA}/accounts`, agent, { email: 'partage@exemple.fr' })).status).toBe(201);
    await refused('POST', `/centres/${centreB}/accounts`, occitanie, { email: 'partage@exemple.fr' }, 409, 'account-exists');
    await refused('POST', `/jurors/${jurorId}/accounts`, agent, { email: 'PARTAGE@exemple.fr' }, 409, 'account-exists');
    expect((await h.deps.accounts.find('partage@exemple.fr'))?.ledgerId).toBe(centreA);
  });

  it('404 for a centre or a juror the ledger does not know', async () => {
    await refused('POST', '/centres/no-such-centre/accounts', agent, { email: 'inconnu@exemple.fr' }, 404, 'centre-not-found');
    await refused('POST', '/jurors/no-such-juror/accounts', agent, { email: 'inconnu@exemple.fr' }, 404, 'juror-not-found');
    expect(await h.deps.accounts.find('inconnu@exemple.fr')).toBeUndefined();
  });

  it("403 for a centre inviting another centre's candidate, or one the ledger does not know (as for its record)", async () => {
    await refused('POST', `/candidates/${candidateB}/accounts`, ['centre', centreA], { email: 'beta@exemple.fr' }, 403, 'not-your-candidate');
    await refused('POST', '/candidates/no-such-candidate/accounts', ['centre', centreA], { email: 'beta@exemple.fr' }, 403, 'not-your-candidate');
  });

  it('403 for any other role: a centre inviting centres, a DREETS agent inviting candidates, a candidate', async () => {
    await refused('POST', `/centres/${centreA}/accounts`, ['centre', centreA], { email: 'x@exemple.fr' }, 403, 'forbidden');
    await refused('POST', `/candidates/${candidateA}/accounts`, agent, { email: 'x@exemple.fr' }, 403, 'forbidden');
    await refused('DELETE', `/candidates/${candidateA}/accounts/alpha%40exemple.fr`, ['candidate', candidateA], undefined, 403, 'forbidden');
  });

  it('403 outside-territory: the centres and jurors of another region, or an agent without region, get no account given or taken', async () => {
    const noRegion: Call['as'] = ['dreets', 'agent-3'];
    for (const as of [agent, noRegion]) {
      await refused('POST', `/centres/${centreB}/accounts`, as, { email: 'direction@centre-occitanie.fr' }, 403, 'outside-territory');
      await refused('DELETE', `/centres/${centreB}/accounts/direction%40centre-occitanie.fr`, as, undefined, 403, 'outside-territory');
    }
    for (const as of [occitanie, noRegion]) {
      await refused('POST', `/jurors/${jurorId}/accounts`, as, { email: 'jure@exemple.fr' }, 403, 'outside-territory');
      await refused('DELETE', `/jurors/${jurorId}/accounts/jure%40exemple.fr`, as, undefined, 403, 'outside-territory');
    }
    expect((await call('POST', `/centres/${centreB}/accounts`, occitanie, { email: 'direction@centre-occitanie.fr' })).status).toBe(201);
  });

  it('400 for an address that is not one, and nothing changes', async () => {
    await refused('POST', `/centres/${centreA}/accounts`, agent, { email: 'pas-une-adresse' }, 400, 'invalid-request');
    await refused('POST', `/centres/${centreA}/accounts`, agent, { mail: 'a@exemple.fr' }, 400, 'invalid-request');
    await refused('DELETE', `/centres/${centreA}/accounts/pas-une-adresse`, agent, undefined, 400, 'invalid-request');
  });

  it('422 for a candidate whose personal data were erased', async () => {
    const s = scenario((method, path, opts = {}) => call(method, path, opts.as, opts.body));
    const erased = await s.candidate(centreA, 'Gamma');
    expect((await call('DELETE', `/candidates/${erased}/personal-data`, agent)).status).toBe(204);
    await refused('POST', `/candidates/${erased}/accounts`, ['centre', centreA], { email: 'gamma@exemple.fr' }, 422, 'personal-data-erased');
  });

  it('204 disables the account of that centre, juror or candidate; again 204; a re-invitation enables it again', async () => {
    expect((await call('POST', `/centres/${centreA}/accounts`, agent, { email: 'depart@exemple.fr' })).status).toBe(201);
    const res = await call('DELETE', `/centres/${centreA}/accounts/${encodeURIComponent('Depart@exemple.fr')}`, agent);
    expect(res.status, res.text).toBe(204);
    expect((await h.deps.accounts.find('depart@exemple.fr'))?.status).toBe('disabled');
    expect((await call('DELETE', `/centres/${centreA}/accounts/depart@exemple.fr`, agent)).status).toBe(204);
    expect((await call('POST', `/centres/${centreA}/accounts`, agent, { email: 'depart@exemple.fr' })).json.status).toBe('invited');
    expect((await h.deps.accounts.find('depart@exemple.fr'))?.status).toBe('invited');

    expect((await call('DELETE', `/jurors/${jurorId}/accounts/jure%40exemple.fr`, agent)).status).toBe(204);
    expect((await h.deps.accounts.find('jure@exemple.fr'))?.status).toBe('disabled');
    expect((await call('DELETE', `/candidates/${candidateA}/accounts/alpha%40exemple.fr`, ['centre', centreA])).status).toBe(204);
    expect((await h.deps.accounts.find('alpha@exemple.fr'))?.status).toBe('disabled');
  });

  it("404 disabling an account of another centre, an unknown email or an unknown centre; 403 for another centre's candidate", async () => {
    expect((await call('POST', `/centres/${centreB}/accounts`, occitanie, { email: 'occitanie@exemple.fr' })).status).toBe(201);
    expect((await call('POST', `/candidates/${candidateB}/accounts`, ['centre', centreB], { email: 'beta@exemple.fr' })).status).toBe(201);
    await refused('DELETE', `/centres/${centreA}/accounts/occitanie%40exemple.fr`, agent, undefined, 404, 'account-not-found');
    await refused('DELETE', `/centres/${centreA}/accounts/personne%40exemple.fr`, agent, undefined, 404, 'account-not-found');
    await refused('DELETE', `/jurors/${jurorId}/accounts/occitanie%40exemple.fr`, agent, undefined, 404, 'account-not-found');
    await refused('DELETE', '/centres/no-such-centre/accounts/occitanie%40exemple.fr', agent, undefined, 404, 'centre-not-found');
    await refused('DELETE', `/candidates/${candidateB}/accounts/beta%40exemple.fr`, ['centre', centreA] as As, undefined, 403, 'not-your-candidate');
    expect((await h.deps.accounts.find('occitanie@exemple.fr'))?.status).toBe('invited');
    expect((await h.deps.accounts.find('beta@exemple.fr'))?.status).toBe('invited');
  });

  it('puts no email in any event', async () => {
    for await (const commit of h.deps.store.scan()) expect(JSON.stringify(commit)).not.toMatch(/@exemple\.fr|@afpa-rennes\.fr/i);
  });
});
