import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../functions/adapters/dynamodb-client.js';
import { activeReadModelTable } from '../../functions/local/read-model-table.js';
import { rebuildLocalReadModels } from '../../functions/local/rebuild.js';
import { TABLES } from '../../functions/local/runtime.js';
import { eventually } from '../support/eventually.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';

// Local only: `npm run rebuild` runs on the stopped data dir. Issue 17's review: the sign-in record lived in the
// read-model table, so a rebuild (a fresh table) let every disabled account's and erased person's token pass again
// until it expired. It has a table of its own now, which the rebuild never replaces.

const AGENT: [role: 'dreets', ledgerId: string, region: string] = ['dreets', 'agent-1', 'Bretagne'];

/** The tables of a stopped data dir. */
async function tablesOf(dataDir: string) {
  const server = dynalite({ path: join(dataDir, 'dynamodb') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = localDynamoClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('the tokens the ledger refused before `npm run rebuild` stay refused after it (issue 17, review)', () => {
  let L: LocalLedger | undefined;
  let dataDir: string;
  let centreId: string;
  let candidateId: string;
  const tokens = {} as Record<'disabled' | 'erased' | 'erasedByCommand' | 'staying', string>;

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const signIn = async (email: string) => (await L!.call('POST', '/_local/tokens', { body: { email } })) as { status: number; json: any; text: string };
  const signedIn = async (email: string) => {
    const answer = await signIn(email);
    expect(answer.status, answer.text).toBe(200);
    return answer.json.token as string;
  };
  const refused = async (path: string, token: string, detail: RegExp) => {
    const answer = await L!.call('GET', path, { headers: bearer(token) });
    expect(answer.status, answer.text).toBe(401);
    expect(answer.json).toMatchObject({ status: 401, type: '/problems/sign-in-revoked' });
    expect(answer.json.detail).toMatch(detail);
  };

  beforeAll(async () => {
    L = await startTestLedger();
    dataDir = L.dataDir;
    centreId = (await L.call('POST', '/centres', { as: AGENT, body: { name: 'Centre AFPA Rennes', region: 'Bretagne' } })).json.centreId;
    for (const email of ['depart@afpa-rennes.fr', 'reste@afpa-rennes.fr'])
      expect((await L.call('POST', `/centres/${centreId}/accounts`, { as: AGENT, body: { email } })).status).toBe(201);
    tokens.disabled = await signedIn('depart@afpa-rennes.fr');
    tokens.staying = await signedIn('reste@afpa-rennes.fr');
    const registered = await L.call('POST', '/candidates', { headers: bearer(tokens.staying), body: { familyName: 'Martin', givenNames: 'Léa', birthDate: '1995-06-14' } });
    expect(registered.status, registered.text).toBe(201);
    candidateId = registered.json.candidateId;
    // The invitation reads the candidate's record, which the projector writes after the commit.
    await eventually(async () => {
      const invited = await L!.call('POST', `/candidates/${candidateId}/accounts`, { headers: bearer(tokens.staying), body: { email: 'lea.martin@exemple.fr' } });
      return invited.status === 201;
    }, "the candidate's account");
    tokens.erased = await signedIn('lea.martin@exemple.fr');
    tokens.erasedByCommand = await L.token('candidate', candidateId);
    for (const token of [tokens.erased, tokens.erasedByCommand])
      await eventually(async () => (await L!.call('GET', `/candidates/${candidateId}/record`, { headers: bearer(token) })).status === 200, 'the candidate reads their record');

    expect((await L.call('DELETE', `/centres/${centreId}/accounts/${encodeURIComponent('depart@afpa-rennes.fr')}`, { as: AGENT })).status).toBe(204);
    expect((await L.call('DELETE', `/candidates/${candidateId}/personal-data`, { as: AGENT })).status).toBe(204);
    await refused(`/centres/${centreId}/sessions`, tokens.disabled, /before its account was disabled/);
    await refused(`/candidates/${candidateId}/record`, tokens.erased, /erased/);
  }, 120_000);
  afterAll(async () => L?.stop());

  it('rebuilt into a fresh read-model table, switched to; the sign-in records kept in theirs', async () => {
    await L!.stop();
    L = undefined;
    const previous = activeReadModelTable(dataDir, TABLES.readModels);
    const result = await rebuildLocalReadModels({ dataDir });
    expect(result.previous).toBe(previous);
    expect(result.active).not.toBe(previous);
    expect(result.events).toBeGreaterThan(0);
    expect(activeReadModelTable(dataDir, TABLES.readModels)).toBe(result.active);
    const tables = await tablesOf(dataDir);
    expect(tables).toContain(result.active);
    expect(tables).toContain(TABLES.signIns);
    L = await startTestLedger({ dataDir });
  }, 120_000);

  it("the disabled account's old token: still 401 sign-in-revoked; the same centre's other account still acts", async () => {
    await refused(`/centres/${centreId}/sessions`, tokens.disabled, /before its account was disabled/);
    expect((await L!.call('GET', `/centres/${centreId}/sessions`, { headers: bearer(tokens.staying) })).status).toBe(200);
  });

  it("the erased candidate's tokens, from their account and from the token command: still 401 sign-in-revoked", async () => {
    await refused(`/candidates/${candidateId}/record`, tokens.erased, /erased/);
    await refused(`/candidates/${candidateId}/record`, tokens.erasedByCommand, /erased/);
  });

  it('the token route gives them none, by the same record: 403 account-disabled, 403 personal-data-erased', async () => {
    expect((await signIn('depart@afpa-rennes.fr')).json).toMatchObject({ status: 403, type: '/problems/account-disabled' });
    expect((await signIn('lea.martin@exemple.fr')).json).toMatchObject({ status: 403, type: '/problems/personal-data-erased' });
  });

  it('invited again after the rebuild, the account signs in anew; its token from before the disabling stays refused', async () => {
    expect((await L!.call('POST', `/centres/${centreId}/accounts`, { as: AGENT, body: { email: 'depart@afpa-rennes.fr' } })).status).toBe(201);
    // A new sign-in's token is issued in a later second than the disabling's instant (`iat` is in whole seconds).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const fresh = await signedIn('depart@afpa-rennes.fr');
    expect((await L!.call('GET', `/centres/${centreId}/sessions`, { headers: bearer(fresh) })).status).toBe(200);
    await refused(`/centres/${centreId}/sessions`, tokens.disabled, /before its account was disabled/);
  });
});
