import { describe, expect, it } from 'vitest';
import { localAccountSub } from '../../functions/local/local-token.js';
import { callRoute } from '../support/call-route.js';
import { memoryDeps } from '../support/memory-deps.js';
import { registeredCentre } from '../support/registered-centre.js';

/** A ledger with a centre a DREETS registered: the centre's account registers candidates in it. */
async function ledgerWithCentre() {
  const h = await memoryDeps();
  return Object.assign(h, { centreId: await registeredCentre((method, path, call) => callRoute(h.deps, method, path, call)) });
}
const register = (h: Awaited<ReturnType<typeof ledgerWithCentre>>, familyName: string, key: string) =>
  callRoute(h.deps, 'POST', '/candidates', {
    as: ['centre', h.centreId],
    body: { familyName, givenNames: 'Camille', birthDate: '1990-04-02' },
    headers: { 'idempotency-key': key },
  });

describe('Idempotency-Key and ids (issue 17)', () => {
  it('the same key replays the first answer; the ids cannot be predicted from the key', async () => {
    const [a, b] = [await ledgerWithCentre(), await ledgerWithCentre()];
    const first = await register(a, 'Martin', 'k-1');
    const replay = await register(a, 'Martin', 'k-1');
    expect(first.status).toBe(201);
    expect(replay.json).toEqual(first.json);
    // Another ledger, the same account, path and key: another id (a random nonce per claim, not a hash of the key).
    const elsewhere = await register(b, 'Martin', 'k-1');
    expect(elsewhere.json.candidateId).not.toBe(first.json.candidateId);
  });

  it('a key used again after its record expired creates a new candidate and never touches the first one', async () => {
    const h = await ledgerWithCentre();
    const first = await register(h, 'Martin', 'k-2');
    // The record expires (TTL): the key is free again.
    await h.deps.idempotency.release(`${localAccountSub('centre', h.centreId)}|POST /candidates|k-2`);
    const second = await register(h, 'Durand', 'k-2');
    expect(second.status).toBe(201);
    expect(second.json.candidateId).not.toBe(first.json.candidateId);
    expect((await h.deps.vault.get(first.json.candidateId))?.familyName).toBe('Martin');
    expect((await h.deps.vault.get(second.json.candidateId))?.familyName).toBe('Durand');
  });
});
