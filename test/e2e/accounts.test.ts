import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { eventually } from '../support/eventually.js';

// Local only: it restarts the ledger on its data dir to show the accounts kept. Inviting, signing in as an invited
// account and disabling it over HTTP alone is the accounts journey of journeys.test.ts, on both targets.

const AGENT: [role: 'dreets', ledgerId: string, region: string] = ['dreets', 'agent-1', 'Bretagne'];

/** Through HTTP only: an agent invites a centre's account, the centre signs in as it (locally: the token route) and acts. */
describe('accounts linked to the ledger, on the local server', () => {
  let L: LocalLedger;
  let dataDir: string;
  let centreId: string;
  let otherCentreId: string;

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const signIn = async (email: string) => L.call('POST', '/_local/tokens', { body: { email } });

  beforeAll(async () => {
    L = await startTestLedger();
    dataDir = L.dataDir;
    centreId = (await L.call('POST', '/centres', { as: AGENT, body: { name: 'Centre AFPA Rennes', region: 'Bretagne' } })).json.centreId;
    otherCentreId = (await L.call('POST', '/centres', { as: AGENT, body: { name: 'Centre AFPA Brest', region: 'Bretagne' } })).json.centreId;
  }, 60_000);
  afterAll(async () => L?.stop());

  it("a DREETS agent invites a centre's account, and the centre acts with a token carrying its ledger id", async () => {
    const invited = await L.call('POST', `/centres/${centreId}/accounts`, { as: AGENT, body: { email: 'direction@afpa-rennes.fr' } });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.json).toEqual({ email: 'direction@afpa-rennes.fr', group: 'centre', ledgerId: centreId, status: 'invited' });

    const signedIn = await signIn('direction@afpa-rennes.fr');
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(signedIn.json).toMatchObject({ role: 'centre', ledgerId: centreId });
    const claims = decodeJwt(signedIn.json.token);
    expect(claims['custom:ledger_id']).toBe(centreId);
    expect(claims['cognito:groups']).toEqual(['centre']);
    expect(claims.sub).not.toBe(centreId);
    const token = signedIn.json.token as string;

    // The centre registers a candidate (registeredBy = its ledger id) and reads its own sessions, not another's.
    const registered = await L.call('POST', '/candidates', { headers: as(token), body: { familyName: 'Martin', givenNames: 'Léa', birthDate: '1995-06-14' } });
    expect(registered.status, registered.text).toBe(201);
    const { candidateId } = registered.json;
    expect((await L.call('GET', `/centres/${centreId}/sessions`, { headers: as(token) })).status).toBe(200);
    expect((await L.call('GET', `/centres/${otherCentreId}/sessions`, { headers: as(token) })).status).toBe(403);
    const record = await eventually(async () => {
      const r = await L.call('GET', `/candidates/${candidateId}/record`, { headers: as(token) });
      return r.status === 200 ? r : undefined;
    }, "the centre's candidate record");
    expect(record.json.candidateId).toBe(candidateId);

    // It invites its candidate's account; the candidate then reads its own record.
    const candidateAccount = await L.call('POST', `/candidates/${candidateId}/accounts`, { headers: as(token), body: { email: 'lea.martin@exemple.fr' } });
    expect(candidateAccount.status, candidateAccount.text).toBe(201);
    expect(candidateAccount.json).toEqual({ email: 'lea.martin@exemple.fr', group: 'candidate', ledgerId: candidateId, status: 'invited' });
    const candidateToken = (await signIn('lea.martin@exemple.fr')).json.token as string;
    expect((await L.call('GET', `/candidates/${candidateId}/record`, { headers: as(candidateToken) })).status).toBe(200);
  });

  it('a second invitation of the email elsewhere is 409; an unknown centre 404', async () => {
    const again = await L.call('POST', `/centres/${otherCentreId}/accounts`, { as: AGENT, body: { email: 'direction@afpa-rennes.fr' } });
    expect(again.status).toBe(409);
    expect(again.json.type).toBe('/problems/account-exists');
    expect((await L.call('POST', '/centres/nope/accounts', { as: AGENT, body: { email: 'x@exemple.fr' } })).json.type).toBe('/problems/centre-not-found');
    expect((await signIn('x@exemple.fr')).status).toBe(404);
  });

  it('the accounts survive a restart; a disabled account can no longer sign in', async () => {
    await L.stop();
    L = await startTestLedger({ dataDir });
    expect((await signIn('direction@afpa-rennes.fr')).status).toBe(200);
    const disabled = await L.call('DELETE', `/centres/${centreId}/accounts/${encodeURIComponent('direction@afpa-rennes.fr')}`, { as: AGENT });
    expect(disabled.status, disabled.text).toBe(204);
    const refused = await signIn('direction@afpa-rennes.fr');
    expect(refused.status).toBe(403);
    expect(refused.json.type).toBe('/problems/account-disabled');
  }, 60_000);
});
