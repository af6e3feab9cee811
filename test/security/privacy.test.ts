import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCiphertextStore, WrappedKeyStore } from '../../functions/adapters/dynamodb-person-vault.js';
import { EncryptedPersonVault } from '../../functions/adapters/encrypted-person-vault.js';
import { FileKeyStore } from '../../functions/adapters/file-key-store.js';
import { ERASED_HOLDER } from '../../functions/certificates/verification.js';
import { localMasterKey } from '../../functions/local/local-master-key.js';
import { TABLES } from '../../functions/local/runtime.js';
import type { PersonalData } from '../../functions/ports/person-vault.js';
import { scenario, type As } from '../support/scenario.js';
import { scanAllTables, spawnLedger, withDataDirDynamo, type SpawnedLedger } from '../support/spawned-ledger.js';
import { eventually } from '../support/eventually.js';
import { loggableCode } from '../../functions/shared/loggable.js';

const RNCP = 'RNCP38665';
const DREETS: As = ['dreets', 'agent-1', 'Bretagne'];
const MINISTRY: As = ['ministry', 'dgefp-1'];

// Distinctive enough that no id, hash, key or ciphertext contains them by chance.
const people = {
  titre: { familyName: 'Vauquelinova', givenNames: 'Perpetuette', birthDate: '1977-03-29', email: 'perpetuette.vauquelinova@exemple.test' },
  ccp: { familyName: 'Brezhoneguen', givenNames: 'Aelwenna', birthDate: '1988-12-06', email: 'aelwenna.brezhoneguen@exemple.test' },
  ajourne: { familyName: 'Kerdavidoux', givenNames: 'Sulpiciane', birthDate: '1969-07-14' },
} satisfies Record<string, PersonalData>;
const jurorNames = ['Maelgwyn Trefusisov', 'Ysandrelle Poquelinot', 'Theodrin Quastrevel'];
const RECUSAL_REASON = 'ancienne collègue de promotion (motif Zorblaxe)';

const dateForms = (d: string) => {
  const [y, m, day] = d.split('-');
  return [d, `${day}/${m}/${y}`, `${y}${m}${day}`];
};
const needlesOf = (p: PersonalData) =>
  [p.familyName, p.givenNames, p.email, p.email?.split('@')[0], ...(p.birthDate ? dateForms(p.birthDate) : [])].filter((n): n is string => !!n).map((n) => n.toLowerCase());
const personNeedles = Object.values(people).flatMap(needlesOf);
const jurorNeedles = jurorNames.flatMap((n) => [n, ...n.split(' ')]).map((n) => n.toLowerCase());
const allNeedles = [...personNeedles, ...jurorNeedles];

const found = (haystack: string, needles: string[]) => {
  const lower = haystack.toLowerCase();
  return needles.filter((n) => lower.includes(n));
};

/** The text of a PDF: its Flate streams inflated, and the strings of their text operators decoded. */
function pdfText(bytes: Buffer): string {
  const parts: string[] = [bytes.toString('latin1')];
  const raw = bytes.toString('latin1');
  for (let at = raw.indexOf('stream'); at >= 0; at = raw.indexOf('stream', at + 6)) {
    let start = at + 6;
    if (raw[start] === '\r') start++;
    if (raw[start] === '\n') start++;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    try {
      const content = inflateSync(bytes.subarray(start, end)).toString('latin1');
      parts.push(content);
      // pdfkit writes text as hex strings in TJ arrays, split wherever it kerns: join them back.
      parts.push([...content.matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => Buffer.from(m[1]!, 'hex').toString('latin1')).join(''));
      parts.push([...content.matchAll(/\(((?:\\.|[^\\)])*)\)/g)].map((m) => m[1]).join(''));
    } catch {
      /* not a Flate stream (an image, say) */
    }
  }
  return parts.join('\n');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Where seeded personal data appears: every table but the vault, the vault in clear, the data dir's files, the logs. */
async function leaks(dataDir: string, logs: string, needles: string[]) {
  const where: string[] = [];
  let pdfs = 0;
  let pdfTitles = 0;
  const vaultItems = await withDataDirDynamo(dataDir, async (client) => {
    const tables = await scanAllTables(client);
    for (const [table, items] of tables) {
      for (const item of items) {
        const hits = found(JSON.stringify(item), needles);
        if (hits.length) where.push(`table ${table}, item ${item.pk}${item.sk !== undefined ? `/${item.sk}` : ''}: ${hits.join(', ')}`);
      }
    }
    return tables.get(TABLES.vault) ?? [];
  });
  for (const file of filesUnder(dataDir)) {
    const bytes = readFileSync(file);
    const isPdf = bytes.subarray(0, 5).toString('latin1') === '%PDF-';
    const text = isPdf ? pdfText(bytes) : `${bytes.toString('latin1')}\n${bytes.toString('utf8')}`;
    if (isPdf) {
      pdfs++;
      if (text.includes('Manager') && text.includes('RNCP38665')) pdfTitles++;
    }
    const hits = found(text, needles);
    if (hits.length) where.push(`file ${file.slice(dataDir.length)}: ${hits.join(', ')}`);
  }
  const logHits = found(logs, needles);
  if (logHits.length) where.push(`logs: ${logHits.join(', ')}`);
  return { where, vaultItems, pdfs, pdfTitles };
}

describe('personal data: only in the vault, only encrypted, and gone for good when erased', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-privacy-'));
  let L: SpawnedLedger | undefined;
  const logs: string[] = [];
  const ids = { titre: '', ccp: '', ajourne: '' };
  const jurors: string[] = [];
  let codes: { titre: string; ccp: string };
  let statisticsBefore: unknown;
  let verificationsBefore: number;

  beforeAll(async () => {
    // Run 1: a whole session to certificates, through the HTTP API of `npm start`, logging at DEBUG.
    L = await spawnLedger({ dataDir, clock: 'virtual:2025-09-01T08:00:00Z', env: { LOG_LEVEL: 'DEBUG' } });
    const { call } = L;
    const s = scenario(call);
    const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
    for (const [i, name] of jurorNames.entries()) {
      const { jurorId } = (await call('POST', '/jurors', { as: DREETS, body: { name, independent: i === 0 } })).json;
      expect((await call('POST', `/jurors/${jurorId}/habilitations`, { as: DREETS, body: { rncp: RNCP, validUntil: '2027-12-31' } })).status).toBe(201);
      jurors.push(jurorId);
    }
    for (const [outcome, person] of Object.entries(people) as [keyof typeof people, PersonalData][]) {
      // With an Idempotency-Key (the stored answer must not carry the person either), sent twice.
      const headers = { 'idempotency-key': `register-${outcome}` };
      const first = await call('POST', '/candidates', { as: ['centre', centreId], body: person, headers });
      expect(first.status, first.text).toBe(201);
      expect((await call('POST', '/candidates', { as: ['centre', centreId], body: person, headers })).json).toEqual(first.json);
      ids[outcome] = first.json.candidateId;
    }
    // A refused registration: the problem (stored under its key too) must not echo what was typed.
    const refused = await call('POST', '/candidates', {
      as: ['centre', centreId],
      body: { ...people.titre, email: `${people.titre.familyName}-chez-exemple` },
      headers: { 'idempotency-key': 'bad-email' },
    });
    expect(refused.status).toBe(400);
    expect(found(refused.text, allNeedles)).toEqual([]);

    // An account for one of them, invited and disabled by the centre (the email in the DELETE's path): the address
    // goes to the account directory and back in the answer, never into an event, a table of the data dir or a log line.
    const invited = await eventually(async () => {
      const r = await call('POST', `/candidates/${ids.titre}/accounts`, { as: ['centre', centreId], body: { email: people.titre.email } });
      return r.status === 201 ? r : undefined;
    }, 'account invited');
    expect(invited.json).toMatchObject({ email: people.titre.email, group: 'candidate', ledgerId: ids.titre });
    expect((await call('DELETE', `/candidates/${ids.titre}/accounts/${encodeURIComponent(people.titre.email)}`, { as: ['centre', centreId] })).status).toBe(204);
    expect((await call('DELETE', `/candidates/${ids.titre}/accounts/${people.titre.email}`, { as: ['centre', centreId] })).status).toBe(204);

    const sessionId = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' }, jurors);
    for (const id of Object.values(ids)) await s.enrol(centreId, sessionId, id);
    expect((await call('POST', `/sessions/${sessionId}/recusals`, { as: ['juror', jurors[2]!], body: { candidateId: ids.ajourne, reason: RECUSAL_REASON } })).status).toBe(201);
    expect((await call('POST', '/_local/clock', { body: { now: '2025-10-06T15:00:00Z' } })).status).toBe(200);
    const blocs = await s.blocs(RNCP);
    await s.deliberate(
      sessionId,
      jurors,
      ids.titre,
      'titre',
      blocs,
      blocs.map((b) => b.code),
    );
    await s.deliberate(sessionId, jurors, ids.ccp, 'ccp', blocs, ['RNCP38665BC01']);
    await s.deliberate(sessionId, jurors.slice(0, 2), ids.ajourne, 'ajourne', blocs, []);
    await s.validatePv(sessionId);
    const certificateOf = (id: string) =>
      eventually(async () => {
        const r = await call('GET', `/candidates/${id}/record`, { as: DREETS });
        return r.json.certificates?.[0]?.code as string | undefined;
      }, `certificate of ${id}`);
    // The record names the code when the certificate is issued; /verify answers once its documents are attached
    // and projected (the credential route reads the same document and, unlike /verify, logs no verification).
    const verifiable = async (code: string) => eventually(async () => (await call('GET', `/certificates/${code}/credential`)).status === 200 && code, `documents of ${code}`);
    codes = { titre: await verifiable(await certificateOf(ids.titre)), ccp: await verifiable(await certificateOf(ids.ccp)) };

    // Employers verify, typing the family name (the typed name must not be kept either).
    const verified = await call('GET', `/verify/${codes.titre}?familyName=${encodeURIComponent(people.titre.familyName)}`);
    expect(verified.json).toMatchObject({ status: 'valid', holder: { display: 'P. V****' }, familyNameMatches: true });
    expect((await call('GET', `/verify/${codes.ccp}?familyName=${encodeURIComponent(people.titre.familyName)}`)).json.familyNameMatches).toBe(false);
    for (let i = 0; i < 5; i++) expect((await call('GET', `/verify/${codes.titre}`)).status).toBe(200);
    expect((await call('GET', `/certificates/${codes.titre}/credential`)).status).toBe(200);
    expect((await call('GET', `/certificates/${codes.titre}/pdf`)).status).toBe(200);
    expect((await call('GET', `/sessions/${sessionId}`, { as: DREETS })).status).toBe(200);
    expect((await call('GET', `/candidates/${ids.ajourne}/notifications`, { as: ['candidate', ids.ajourne] })).status).toBe(200);
    const statistics = await call('GET', `/statistics?rncp=${RNCP}&year=2025`, { as: MINISTRY });
    expect(statistics.status).toBe(200);
    statisticsBefore = statistics.json.rows;
    expect((await call('POST', '/statistics/exports', { as: MINISTRY, body: { year: 2025 } })).status).toBe(201);
    verificationsBefore = (await call('GET', `/certificates/${codes.titre}/verifications`, { as: ['candidate', ids.titre] })).json.verifications.length;
    expect(verificationsBefore).toBe(6);

    expect(await L.stop()).toBe(0);
    logs.push(L.output());
    L = undefined;
  }, 180_000);

  afterAll(async () => {
    await L?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('appears in no table but the vault, in no file of the data dir (PDFs included), in no log line', async () => {
    expect(logs[0]).toContain('"message":"request"'); // the DEBUG logs were captured
    const { where, vaultItems, pdfs, pdfTitles } = await leaks(dataDir, logs.join('\n'), allNeedles);
    expect(where).toEqual([]);
    // The recusal reason is the jury's free text, kept in the session's events by design: never in a log line.
    expect(found(logs.join('\n'), ['zorblaxe'])).toEqual([]);
    // Nor a certificate code (issue 18): the requests on /verify, /certificates/{code}/… are logged with the code hashed.
    expect(found(logs.join('\n'), [codes.titre, codes.ccp, codes.titre.toLowerCase()])).toEqual([]);
    expect(logs[0]).toContain(`"path":"/verify/${loggableCode(codes.titre)}"`);
    expect(pdfs).toBeGreaterThanOrEqual(2);
    expect(pdfTitles).toBe(pdfs); // the PDF text was read (positive control of the search)
    // The vault holds wrapped keys and ciphertexts (with their revision) only.
    for (const item of vaultItems) {
      expect(Object.keys(item).sort()).toEqual(item.pk.startsWith('key#') ? ['pk', 'wrapped'] : ['ciphertext', 'pk', 'revision']);
    }
    expect(vaultItems.filter((i) => i.pk.startsWith('data#'))).toHaveLength(Object.keys(people).length + jurorNames.length);
  });

  it('the vault gives the data back to the ledger alone, with its key (positive control)', async () => {
    await withDataDirDynamo(dataDir, async (client) => {
      const vault = new EncryptedPersonVault(
        new FileKeyStore(join(dataDir, 'vault-keys'), localMasterKey(dataDir), new WrappedKeyStore(client, TABLES.vault, localMasterKey(dataDir))),
        new DynamoCiphertextStore(client, TABLES.vault),
      );
      expect(await vault.get(ids.titre)).toEqual(people.titre);
      expect(await vault.get(jurors[0]!)).toEqual({ name: jurorNames[0] });
    });
  });

  it('erased: unreadable everywhere, verification shows an erased holder, the record and the statistics unchanged', async () => {
    L = await spawnLedger({ dataDir, clock: 'virtual:2025-09-01T08:00:00Z', env: { LOG_LEVEL: 'DEBUG' } });
    const { call } = L;
    // Every verification answered before the shutdown was recorded (the log is flushed on stop).
    expect((await call('GET', `/certificates/${codes.titre}/verifications`, { as: ['candidate', ids.titre] })).json.verifications).toHaveLength(verificationsBefore);
    const recordBefore = (await call('GET', `/candidates/${ids.titre}/record`, { as: DREETS })).json;

    expect((await call('DELETE', `/candidates/${ids.titre}/personal-data`, { as: DREETS })).status).toBe(204);

    const after = await call('GET', `/verify/${codes.titre}?familyName=${encodeURIComponent(people.titre.familyName)}`);
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ code: codes.titre, status: 'valid', kind: 'titre', holder: { display: ERASED_HOLDER }, familyNameMatches: false });
    const recordAfter = (await call('GET', `/candidates/${ids.titre}/record`, { as: DREETS })).json;
    expect(recordAfter.certificates).toEqual(recordBefore.certificates);
    expect(recordAfter.certifications).toEqual(recordBefore.certifications);
    const statistics = await call('GET', `/statistics?rncp=${RNCP}&year=2025`, { as: MINISTRY });
    expect(statistics.json.rows).toEqual(statisticsBefore);
    // The other people are untouched.
    expect((await call('GET', `/verify/${codes.ccp}`)).json.holder.display).toBe('A. B****');
    expect(await L.stop()).toBe(0);
    logs.push(L.output());
    L = undefined;

    await withDataDirDynamo(dataDir, async (client) => {
      const vault = new EncryptedPersonVault(
        new FileKeyStore(join(dataDir, 'vault-keys'), localMasterKey(dataDir), new WrappedKeyStore(client, TABLES.vault, localMasterKey(dataDir))),
        new DynamoCiphertextStore(client, TABLES.vault),
      );
      expect(await vault.get(ids.titre)).toBeUndefined();
      expect(await vault.get(ids.ccp)).toEqual(people.ccp);
    });
    const { where, vaultItems } = await leaks(dataDir, logs.join('\n'), allNeedles);
    expect(where).toEqual([]);
    expect(vaultItems.find((i) => i.pk === `key#${ids.titre}`)).toEqual({ pk: `key#${ids.titre}`, destroyed: true });
  }, 120_000);
});
