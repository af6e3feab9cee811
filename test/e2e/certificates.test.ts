import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitToItem, itemToCommit } from '../../functions/adapters/dynamodb-event-store.js';
import { localDynamoClient } from '../../functions/adapters/dynamodb-client.js';
import { newCertificateCode } from '../../functions/certificates/issue-certificate.js';
import { issueCertificate } from '../support/issue-certificate.js';
import { TABLES } from '../../functions/local/runtime.js';
import { marshall } from '@aws-sdk/util-dynamodb';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { registeredCentre } from '../support/registered-centre.js';

// Local only: it tampers with the events table in the data dir's dynalite and runs verify-ledger on it, and
// issues certificates through the ledger's own ports; verification over HTTP is the employers' journey of
// journeys.test.ts, on both targets.

const projectRoot = join(import.meta.dirname, '../..');

async function registerAndIssue(L: LocalLedger, kind: 'titre' | 'ccp' = 'titre') {
  const centreId = await registeredCentre(L.call);
  const registered = await L.call('POST', '/candidates', { as: ['centre', centreId], body: { familyName: 'Moreau', givenNames: 'Claire', birthDate: '1990-04-02' } });
  const candidateId = registered.json.candidateId as string;
  const code = newCertificateCode();
  // Until the session workflow issues certificates from a validated PV, issue directly, as its step does.
  const result = await issueCertificate(L.deps, {
    code,
    candidateId,
    kind,
    rncp: 'RNCP38665',
    blocs: kind === 'titre' ? ['RNCP38665BC01', 'RNCP38665BC02'] : ['RNCP38665BC01'],
    issuedOn: L.clock.now().slice(0, 10),
    sessionId: 'session-e2e',
    commandId: `e2e:${code}`,
  });
  await L.settle();
  return { candidateId, code, result };
}

type PublishedKey = JSONWebKeySet['keys'][number] & { kid: string; validFrom?: string; validUntil?: string };
const jwksOf = async (L: LocalLedger) => (await L.call('GET', '/.well-known/jwks.json')).json as { keys: PublishedKey[] };
const flip = (part: string, at: number) => {
  const bytes = Buffer.from(part, 'base64url');
  bytes[at]! ^= 0x01;
  return bytes.toString('base64url');
};

describe('certificates on the local ledger, over HTTP', () => {
  let L: LocalLedger;
  beforeAll(async () => {
    L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
  });
  afterAll(async () => L?.stop());

  it('verifies an issued certificate at GET /verify/{code}', async () => {
    const { code, result } = await registerAndIssue(L);
    const res = await L.call('GET', `/verify/${encodeURIComponent(code)}?familyName=moreau`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      code,
      status: 'valid',
      kind: 'titre',
      certification: { rncp: 'RNCP38665', level: 5 },
      issuedAt: '2025-09-01',
      holder: { display: 'C. M****' },
      familyNameMatches: true,
      ledger: result.issuance,
    });
    const unknown = await L.call('GET', `/verify/${newCertificateCode()}`);
    const mistyped = await L.call('GET', `/verify/${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}`);
    expect([unknown.status, mistyped.status]).toEqual([404, 404]);
    expect(mistyped.text).toBe(unknown.text);
  });

  it('its credential verifies offline against the JWKS alone; one changed byte is rejected', async () => {
    const { code } = await registerAndIssue(L);
    const credential = await L.call('GET', `/certificates/${code}/credential`);
    expect(credential.headers.get('content-type')).toBe('application/vc+jwt');
    const keys = createLocalJWKSet(await jwksOf(L)); // from here on, nothing asks the server
    const { payload } = await compactVerify(credential.text, keys);
    expect(JSON.parse(new TextDecoder().decode(payload)).credentialSubject.achievement.humanCode).toBe('RNCP38665');
    const [header, body, signature] = credential.text.split('.') as [string, string, string];
    await expect(compactVerify([header, flip(body, 30), signature].join('.'), keys)).rejects.toThrow();
    await expect(compactVerify([header, body, flip(signature, 5)].join('.'), keys)).rejects.toThrow();
  });

  it('after a key rotation, certificates signed under the old key and the new one both verify', async () => {
    const old = await registerAndIssue(L);
    const rotated = await L.deps.signer!.rotate();
    const fresh = await registerAndIssue(L, 'ccp');
    const jwks = await jwksOf(L);
    const oldKid = decodeProtectedHeader(old.result.credential.jws).kid;
    expect(fresh.result.credential.kid).toBe(rotated.kid);
    expect(decodeProtectedHeader(fresh.result.credential.jws).kid).toMatch(new RegExp(`^did:web:localhost%3A\\d+:certifiers:[a-z0-9-]+#${rotated.kid}$`));
    expect(jwks.keys.find((k) => k.kid === oldKid)).toMatchObject({ validFrom: expect.any(String), validUntil: expect.any(String) });
    expect(jwks.keys.find((k) => k.kid === rotated.kid)?.validUntil).toBeUndefined();
    const keys = createLocalJWKSet(jwks);
    for (const { code } of [old, fresh]) {
      const jws = (await L.call('GET', `/certificates/${code}/credential`)).text;
      await expect(compactVerify(jws, keys)).resolves.toBeDefined();
    }
  });

  it('serves the PDF recorded in the ledger', async () => {
    const { code, result } = await registerAndIssue(L);
    const res = await fetch(`${L.url}/certificates/${code}/pdf`);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const body = new Uint8Array(await res.arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(result.pdf.sha256);
  });

  it('revocation: status revoked with its date, the reason for the holder only; as of the day before, valid', async () => {
    const { code, candidateId } = await registerAndIssue(L);
    await L.call('POST', '/_local/clock', { body: { now: '2025-12-01T10:00:00Z' } });
    const revoked = await L.call('POST', `/certificates/${code}/revocation`, {
      as: ['dreets', 'agent-1', 'Bretagne'],
      body: { reason: 'Fraude établie à l’épreuve', legalBasis: 'Arrêté du 22 décembre 2015, art. 9' },
    });
    expect(revoked.status).toBe(201);
    await L.settle();
    const now = await L.call('GET', `/verify/${code}`);
    expect(now.json).toMatchObject({ status: 'revoked', asOf: '2025-12-01' });
    expect(now.json.history.at(-1)).toEqual({ status: 'revoked', on: '2025-12-01' });
    expect(now.json.statusSince).toBe('2025-12-01');
    expect(now.text).not.toContain('Fraude');
    const held = (await L.call('GET', `/certificates/${code}/verifications`, { as: ['candidate', candidateId] })).json;
    expect(held.statusHistory.at(-1)).toEqual({ status: 'revoked', on: '2025-12-01', reason: 'Fraude établie à l’épreuve', legalBasis: 'Arrêté du 22 décembre 2015, art. 9' });
    expect((await L.call('GET', `/verify/${code}?asOf=2025-11-30`)).json).toMatchObject({ status: 'valid', asOf: '2025-11-30' });
    const seen = await L.call('GET', `/certificates/${code}/verifications`, { as: ['candidate', candidateId] });
    // Both at the same (virtual) instant: in any order.
    expect(seen.json.verifications.map((v: { status: string; asOf: string }) => `${v.status} ${v.asOf}`).sort()).toEqual(['revoked 2025-12-01', 'valid 2025-11-30']);
  });
});

describe('npm run verify-ledger on a stopped local ledger', () => {
  const verifyLedger = (dataDir: string) =>
    spawnSync(process.execPath, [join(projectRoot, 'node_modules/tsx/dist/cli.mjs'), join(projectRoot, 'functions/local/verify-ledger.ts')], {
      env: { ...process.env, LEDGER_DATA_DIR: dataDir, EVENTS_TABLE: '' },
      encoding: 'utf8',
      timeout: 90_000,
    });

  it('says the ledger is intact, refuses while the server holds it, and names a commit with one flipped byte', async () => {
    const L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
    const { code } = await registerAndIssue(L);
    const busy = verifyLedger(L.dataDir);
    expect(busy.status).toBe(2);
    expect(busy.stderr).toMatch(/still running/);
    await L.stop();

    const intact = verifyLedger(L.dataDir);
    expect(intact.status, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/merkle root of the stream heads: [0-9a-f]{64}/);
    expect(intact.stdout).toMatch(/checkpoint JWS: [\w-]+\.[\w-]+\.[\w-]+/);
    expect(intact.stdout).toContain('ledger intact');

    // One byte of the certificate's issuance commit, changed behind the ledger's back.
    const server = dynalite({ path: join(L.dataDir, 'dynamodb') });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = localDynamoClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const Key = marshall({ pk: `certificate#${code}`, sk: 1 });
    const commit = itemToCommit((await client.send(new GetItemCommand({ TableName: TABLES.events, Key }))).Item!);
    const data = commit.events[0]!.data as { issuedOn: string };
    data.issuedOn = data.issuedOn.replace('2025-09-01', '2025-08-01');
    await client.send(new PutItemCommand({ TableName: TABLES.events, Item: commitToItem(commit) }));
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const tampered = verifyLedger(L.dataDir);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain(`MODIFIED: stream certificate#${code} version 1`);
  }, 240_000);
});
