import { describe, expect, it } from 'vitest';
import { callRoute, commitCount } from '../support/call-route.js';
import { holderWithTitre } from '../support/holder-with-titre.js';
import { memoryDeps } from '../support/memory-deps.js';

/** GET /candidates/{candidateId}/credential-offers/{code} and the token endpoint, through the route manifest. */
async function holderOnMemoryLedger() {
  const h = await memoryDeps();
  const { candidateId, code } = await holderWithTitre(h.deps, (method, path, call) => callRoute(h.deps, method, path, call));
  await h.settle();
  return { h, candidateId, code };
}
const preAuthorizedCode = (offerUri: string) =>
  JSON.parse(new URL(offerUri).searchParams.get('credential_offer')!).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as {
    'pre-authorized_code': string;
    tx_code: { input_mode: string; length: number; description: string };
  };
const tokenRequest = (code: string, txCode?: string) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  rawBody: new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
    'pre-authorized_code': code,
    ...(txCode ? { tx_code: txCode } : {}),
  }).toString(),
});

describe('wallet offers', () => {
  it('GET makes an offer with a PIN and records nothing; a new GET, a new code and another PIN', async () => {
    const { h, candidateId, code } = await holderOnMemoryLedger();
    const before = await commitCount(h.deps);
    const offer = await callRoute(h.deps, 'GET', `/candidates/${candidateId}/credential-offers/${code}`, { as: ['candidate', candidateId] });
    expect(offer.status, offer.text).toBe(200);
    expect(offer.json.txCode).toMatch(/^\d{6}$/);
    const grant = preAuthorizedCode(offer.json.offerUri);
    expect(grant.tx_code).toMatchObject({ input_mode: 'numeric', length: 6 });
    expect(offer.json.offerUri).not.toContain(offer.json.txCode);
    const again = await callRoute(h.deps, 'GET', `/candidates/${candidateId}/credential-offers/${code}`, { as: ['candidate', candidateId] });
    expect(preAuthorizedCode(again.json.offerUri)['pre-authorized_code']).not.toBe(grant['pre-authorized_code']);
    expect(await commitCount(h.deps)).toBe(before);
  });

  it('the token endpoint wants the PIN; a code the ledger did not sign is refused, recording nothing', async () => {
    const { h, candidateId, code } = await holderOnMemoryLedger();
    const offer = (await callRoute(h.deps, 'GET', `/candidates/${candidateId}/credential-offers/${code}`, { as: ['candidate', candidateId] })).json;
    const preAuthorized = preAuthorizedCode(offer.offerUri)['pre-authorized_code'];
    const before = await commitCount(h.deps);
    const [header, payload, signature] = preAuthorized.split('.') as [string, string, string];
    const otherHolder = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), holder: 'someone-else' })).toString('base64url');
    const forged = await callRoute(h.deps, 'POST', '/oid4vci/token', tokenRequest([header, otherHolder, signature].join('.'), offer.txCode));
    expect([forged.status, forged.json.error]).toEqual([400, 'invalid_grant']);
    expect(await commitCount(h.deps)).toBe(before);
    const withoutPin = await callRoute(h.deps, 'POST', '/oid4vci/token', tokenRequest(preAuthorized));
    expect([withoutPin.status, withoutPin.json.error]).toEqual([400, 'invalid_grant']);
    const ok = await callRoute(h.deps, 'POST', '/oid4vci/token', tokenRequest(preAuthorized, offer.txCode));
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.access_token).toEqual(expect.any(String));
  });

  it('a suspended or revoked certificate gets no offer: 422 certificate-not-valid', async () => {
    const { h, candidateId, code } = await holderOnMemoryLedger();
    const suspended = await callRoute(h.deps, 'POST', `/certificates/${code}/suspension`, {
      as: ['dreets', 'agent-1', 'Bretagne'],
      body: { reason: 'Enquête', legalBasis: 'Arrêté' },
    });
    expect(suspended.status).toBe(201);
    await h.settle();
    const refused = await callRoute(h.deps, 'GET', `/candidates/${candidateId}/credential-offers/${code}`, { as: ['candidate', candidateId] });
    expect([refused.status, refused.json.type]).toEqual([422, '/problems/certificate-not-valid']);
  });
});
