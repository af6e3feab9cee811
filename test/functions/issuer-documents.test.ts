import { gunzipSync } from 'node:zlib';
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { STATUS_LIST_SIZE } from '../../events/certificate.js';
import { newCertificateCode } from '../../functions/certificates/issue-certificate.js';
import { certifierSlug, hostDid, issuerDid } from '../../functions/certificates/issuer-identity.js';
import { issueCertificate } from '../support/issue-certificate.js';
import { callRoute } from '../support/call-route.js';
import { memoryDeps } from '../support/memory-deps.js';

type Harness = Awaited<ReturnType<typeof memoryDeps>>;
const MTES = 'ministere-du-travail-du-plein-emploi-et-de-l-insertion';
const DREETS = ['dreets', 'agent-1', 'Bretagne'] as [string, string, string];

async function issue(h: Harness, rncp = 'RNCP38665', blocs = ['RNCP38665BC01', 'RNCP38665BC02']) {
  const code = newCertificateCode();
  const result = await issueCertificate(h.deps, { code, candidateId: 'cand-1', kind: 'titre', rncp, blocs, issuedOn: '2025-09-01', commandId: `c-${code}` });
  await h.settle();
  return { code, result, credential: decodeJwt(result.credential.jws) as any };
}

/** The bit at `index` of an encoded list, by W3C Bitstring Status List v1.0's algorithm. */
const bitOf = (encodedList: string, index: number) => {
  const bits = gunzipSync(Buffer.from(encodedList.replace(/^u/, ''), 'base64url'));
  return { size: bits.length * 8, bit: (bits[Math.floor(index / 8)]! >> (7 - (index % 8))) & 1 };
};

describe('issuer identity', () => {
  it('names each certifier’s issuer by a did:web on the public host, the port percent-encoded', () => {
    expect(certifierSlug("Ministère du Travail, du Plein emploi et de l'Insertion")).toBe(MTES);
    expect(certifierSlug('Organisme certificateur privé (non nommé dans le seed 004)')).toBe('organisme-certificateur-prive-non-nomme-dans-le-seed-004');
    expect(issuerDid('http://localhost:3000', 'Ministère chargé de l’emploi')).toBe('did:web:localhost%3A3000:certifiers:ministere-charge-de-l-emploi');
    expect(hostDid('https://registre.example.gouv.fr/')).toBe('did:web:registre.example.gouv.fr');
    expect(hostDid('https://example.fr/registre')).toBe('did:web:example.fr:registre');
  });
});

describe('DID documents, JWKS and status lists (handlers through the manifest)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await memoryDeps();
  });

  it('serves each certifier’s DID document with every key, current and retired, as assertion methods; an unknown certifier is 404', async () => {
    const before = await issue(h);
    await h.deps.signer.rotate();
    const after = await issue(h);
    const res = await callRoute(h.deps, 'GET', `/certifiers/${MTES}/did.json`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/did+json');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const did = `did:web:ledger.test:certifiers:${MTES}`;
    expect(res.json.id).toBe(did);
    const ids = res.json.verificationMethod.map((m: { id: string }) => m.id);
    for (const { result } of [before, after]) {
      const { kid } = decodeProtectedHeader(result.credential.jws);
      expect(kid).toBe(`${did}#${result.credential.kid}`);
      expect(ids).toContain(kid);
      expect(res.json.assertionMethod).toContain(kid);
      const method = res.json.verificationMethod.find((m: { id: string }) => m.id === kid);
      expect(method).toMatchObject({ type: 'JsonWebKey2020', controller: did, publicKeyJwk: { kty: 'EC', crv: 'P-256' } });
      expect(method.publicKeyJwk.d).toBeUndefined();
      await expect(compactVerify(result.credential.jws, await importJWK(method.publicKeyJwk as JWK, 'ES256'))).resolves.toBeDefined();
    }
    expect((await callRoute(h.deps, 'GET', '/certifiers/nobody/did.json')).status).toBe(404);
    expect((await callRoute(h.deps, 'GET', '/certifiers/Not%20A%20Slug/did.json')).status).toBe(400);
    const root = await callRoute(h.deps, 'GET', '/.well-known/did.json');
    expect(root.json.id).toBe('did:web:ledger.test');
    expect(root.json.verificationMethod).toHaveLength(ids.length);
  });

  it('a private certifier has an issuer of its own, with its own DID document and status list', async () => {
    const ministry = await issue(h, 'RNCP12505', ['RNCP12505BC01']);
    const privately = await issue(h, 'SEED004', ['SEED004BC01']);
    expect(ministry.credential.issuer.id).toBe('did:web:ledger.test:certifiers:ministere-charge-de-l-emploi-dgefp');
    expect(privately.credential.issuer.id).toBe('did:web:ledger.test:certifiers:organisme-certificateur-prive-non-nomme-dans-le-seed-004');
    expect(privately.credential.iss).toBe(privately.credential.issuer.id);
    const document = await callRoute(h.deps, 'GET', '/certifiers/organisme-certificateur-prive-non-nomme-dans-le-seed-004/did.json');
    expect(document.json.id).toBe(privately.credential.issuer.id);
    expect(privately.credential.credentialStatus.statusListCredential).toBe('https://ledger.test/status-lists/organisme-certificateur-prive-non-nomme-dans-le-seed-004-1');
  });

  it('the JWKS names each key by its thumbprint and by each issuer’s DID URL', async () => {
    const { result } = await issue(h);
    const jwks = (await callRoute(h.deps, 'GET', '/.well-known/jwks.json')).json as { keys: { kid: string }[] };
    const kids = jwks.keys.map((k) => k.kid);
    expect(kids).toContain(result.credential.kid);
    expect(kids).toContain(decodeProtectedHeader(result.credential.jws).kid);
  });

  it('serves the revocation status list signed by the certifier’s issuer: 131,072 entries, the revoked certificate’s bit set, the others 0', async () => {
    const kept = await issue(h);
    const revoked = await issue(h);
    const res = await callRoute(h.deps, 'POST', `/certificates/${revoked.code}/revocation`, { as: DREETS, body: { reason: 'Fraude', legalBasis: 'Arrêté du 22 décembre 2015' } });
    expect(res.status, res.text).toBe(201);
    await h.settle();
    const listUrl = revoked.credential.credentialStatus.statusListCredential as string;
    expect(listUrl).toBe(`https://ledger.test/status-lists/${MTES}-1`);
    const list = await callRoute(h.deps, 'GET', new URL(listUrl).pathname);
    expect(list.status, list.text).toBe(200);
    expect(list.headers['content-type']).toBe('application/vc+jwt');
    expect(list.headers['cache-control']).toBe('public, max-age=300');
    expect(list.headers['access-control-allow-origin']).toBe('*');
    const payload = decodeJwt(list.text) as any;
    expect(payload).toMatchObject({
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: revoked.credential.issuer.id },
      iss: revoked.credential.issuer.id,
      credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation' },
    });
    expect(decodeProtectedHeader(list.text).kid).toMatch(new RegExp(`^${revoked.credential.issuer.id}#`));
    const at = (c: { credential: any }) => bitOf(payload.credentialSubject.encodedList, Number(c.credential.credentialStatus.statusListIndex));
    expect(at(revoked)).toEqual({ size: STATUS_LIST_SIZE, bit: 1 });
    expect(at(kept)).toEqual({ size: STATUS_LIST_SIZE, bit: 0 });
    expect(kept.credential.credentialStatus.statusListIndex).not.toBe(revoked.credential.credentialStatus.statusListIndex);
  });

  it('a suspension does not show in the revocation list (GET /verify says it)', async () => {
    const suspended = await issue(h);
    expect((await callRoute(h.deps, 'POST', `/certificates/${suspended.code}/suspension`, { as: DREETS, body: { reason: 'Enquête', legalBasis: 'Arrêté' } })).status).toBe(201);
    await h.settle();
    const list = await callRoute(h.deps, 'GET', new URL(suspended.credential.credentialStatus.statusListCredential).pathname);
    expect(bitOf((decodeJwt(list.text) as any).credentialSubject.encodedList, Number(suspended.credential.credentialStatus.statusListIndex)).bit).toBe(0);
    expect((await callRoute(h.deps, 'GET', `/verify/${suspended.code}`)).json.status).toBe('suspended');
  });

  it('an unknown certifier’s list is 404, a malformed list id 400', async () => {
    expect((await callRoute(h.deps, 'GET', '/status-lists/nobody-1')).status).toBe(404);
    expect((await callRoute(h.deps, 'GET', `/status-lists/${MTES}`)).status).toBe(404);
    expect((await callRoute(h.deps, 'GET', '/status-lists/UPPER_case')).status).toBe(400);
  });
});
