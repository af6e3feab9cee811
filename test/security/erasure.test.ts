import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newCertificateCode } from '../../functions/certificates/issue-certificate.js';
import { ERASED_TEXT } from '../../functions/shared/decision-notes.js';
import { issueCertificate } from '../support/issue-certificate.js';
import { startTestLedger } from '../support/local-ledger.js';

/** Every file under `dir` (dynalite's LevelDB files, s3rver's objects, keys) that holds `needle`, as bytes. */
function filesHolding(dir: string, needle: Buffer): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => readFileSync(path).includes(needle));
}

describe('erasure that holds (issue 17)', () => {
  it('after DELETE personal-data, no file of the data dir holds the person’s key, wrapped or not, nor their name', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-erasure-'));
    const L = await startTestLedger({ dataDir });
    const { centreId } = (await L.call('POST', '/centres', { as: ['dreets', 'agent-1', 'Bretagne'], body: { name: 'Centre Rennes', region: 'Bretagne' } })).json;
    const created = await L.call('POST', '/candidates', { as: ['centre', centreId], body: { familyName: 'Quennevillerie', givenNames: 'Maëlys', birthDate: '1991-07-14' } });
    expect(created.status, created.text).toBe(201);
    const { candidateId } = created.json;
    const keyFile = join(dataDir, 'vault-keys', `${createHash('sha256').update(candidateId).digest('hex')}.key`);
    const wrapped = readFileSync(keyFile);
    // Positive control: the search finds the wrapped key where it is, and the name nowhere in plain text.
    expect(filesHolding(dataDir, wrapped)).toEqual([keyFile]);
    expect(filesHolding(dataDir, Buffer.from('Quennevillerie'))).toEqual([]);

    expect((await L.call('DELETE', `/candidates/${candidateId}/personal-data`, { as: ['dreets', 'agent-1', 'Bretagne'] })).status).toBe(204);
    expect(await L.deps.vault.get(candidateId)).toBeUndefined();
    await L.stop();

    expect(filesHolding(dataDir, wrapped)).toEqual([]);
    expect(filesHolding(dataDir, Buffer.from(wrapped.toString().split('.')[2]!, 'base64'))).toEqual([]);
    // And a restart does not bring the person back.
    const again = await startTestLedger({ dataDir });
    try {
      expect(await again.deps.vault.get(candidateId)).toBeUndefined();
    } finally {
      await again.stop();
    }
  });

  it('a revocation’s reason and legal basis naming the holder are in no table or file, and go with the person: the DREETS then reads the placeholder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-erasure-reason-'));
    const L = await startTestLedger({ dataDir, clock: 'virtual:2025-09-01T08:00:00Z' });
    const dreets = ['dreets', 'agent-1', 'Bretagne'] as ['dreets', string, string];
    const reason = 'Fraude : Maëlys Quennevillerie, née le 14/07/1991, a fait passer l’épreuve par sa sœur';
    const legalBasis = 'Jugement du tribunal administratif de Rennes, Quennevillerie c/ DREETS';
    let code: string;
    try {
      const { centreId } = (await L.call('POST', '/centres', { as: dreets, body: { name: 'Centre Rennes', region: 'Bretagne' } })).json;
      const { candidateId } = (
        await L.call('POST', '/candidates', { as: ['centre', centreId], body: { familyName: 'Quennevillerie', givenNames: 'Maëlys', birthDate: '1991-07-14' } })
      ).json;
      code = newCertificateCode();
      await issueCertificate(L.deps, {
        code,
        candidateId,
        kind: 'ccp',
        rncp: 'RNCP38665',
        blocs: ['RNCP38665BC01'],
        issuedOn: '2025-09-01',
        commandId: `erasure:${code}`,
      });
      await L.call('POST', '/_local/clock', { body: { now: '2025-12-01T10:00:00Z' } });
      const suspended = await L.call('POST', `/certificates/${code}/suspension`, { as: dreets, body: { reason: `${reason} (enquête)`, legalBasis } });
      expect(suspended.status, suspended.text).toBe(201);
      const revoked = await L.call('POST', `/certificates/${code}/revocation`, { as: dreets, body: { reason, legalBasis } });
      expect(revoked.status, revoked.text).toBe(201);
      await L.settle();

      // While the holder's data exist, the readers allowed to see why (the holder, the DREETS) read it from the vault.
      const held = (await L.call('GET', `/certificates/${code}/verifications`, { as: ['candidate', candidateId] })).json;
      expect(held.statusHistory).toEqual([
        { status: 'valid', on: '2025-09-01' },
        { status: 'suspended', on: '2025-12-01', reason: `${reason} (enquête)`, legalBasis },
        { status: 'revoked', on: '2025-12-01', reason, legalBasis },
      ]);
      // The public sees the status and its date only.
      const verified = await L.call('GET', `/verify/${code}`);
      expect(verified.json).toMatchObject({ status: 'revoked', statusSince: '2025-12-01' });
      expect(verified.text).not.toContain('Fraude');
      // Kept encrypted in the vault only: no table, read model or file holds the text in plain. Positive control:
      // the search does find what the events table holds in plain, the certificate's code.
      expect(filesHolding(dataDir, Buffer.from(code)).length).toBeGreaterThan(0);
      expect(filesHolding(dataDir, Buffer.from('Quennevillerie'))).toEqual([]);
      expect(filesHolding(dataDir, Buffer.from('Fraude'))).toEqual([]);

      expect((await L.call('DELETE', `/candidates/${candidateId}/personal-data`, { as: dreets })).status).toBe(204);
    } finally {
      await L.stop();
    }
    expect(filesHolding(dataDir, Buffer.from('Quennevillerie'))).toEqual([]);
    expect(filesHolding(dataDir, Buffer.from('Fraude'))).toEqual([]);
    expect(filesHolding(dataDir, Buffer.from('tribunal administratif'))).toEqual([]);

    const again = await startTestLedger({ dataDir, clock: 'virtual:2025-12-02T08:00:00Z' });
    try {
      const seen = await again.call('GET', `/certificates/${code}/verifications`, { as: dreets });
      expect(seen.status, seen.text).toBe(200);
      expect(seen.json.statusHistory).toEqual([
        { status: 'valid', on: '2025-09-01' },
        { status: 'suspended', on: '2025-12-01', reason: ERASED_TEXT, legalBasis: ERASED_TEXT },
        { status: 'revoked', on: '2025-12-01', reason: ERASED_TEXT, legalBasis: ERASED_TEXT },
      ]);
      expect((await again.call('GET', `/verify/${code}`)).json).toMatchObject({ status: 'revoked', statusSince: '2025-12-01' });
    } finally {
      await again.stop();
    }
  });
});
