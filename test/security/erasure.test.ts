import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
