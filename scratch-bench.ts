import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { startLocalLedger, TABLES } from './functions/local/runtime.js';
import { issueCertificate, newCertificateCode } from './functions/certificates/issue-certificate.js';
process.env.PUBLIC_RATE_LIMIT = '100000000';
const L = await startLocalLedger({ dataDir: mkdtempSync(join(tmpdir(), 'bench-')), port: 0, host: '127.0.0.1', logLevel: 'SILENT' });
await L.deps.vault.put('cand-1', { familyName: 'Moreau', givenNames: 'Claire' });
const codes: string[] = [];
for (let i = 0; i < 20; i++) { const code = newCertificateCode(); codes.push(code);
  await issueCertificate(L.deps, { code, candidateId: 'cand-1', kind: 'titre', rncp: 'RNCP38665', blocs: ['RNCP38665BC01'], issuedOn: '2025-09-01', commandId: 'c' + i }); }
await L.settle();
const dur = Number(process.env.DUR ?? 4000);
async function run(name: string, op: (i: number) => Promise<void>) {
  const lat: number[] = []; let n = 0; const end = Date.now() + dur;
  await Promise.all(Array.from({ length: 32 }, async (_, c) => { while (Date.now() < end) { const t = performance.now(); await op(n++); lat.push(performance.now() - t); } }));
  lat.sort((a, b) => a - b);
  console.log(name, 'rate/s', Math.round(lat.length / (dur / 1000)), 'p50', lat[Math.floor(lat.length / 2)]!.toFixed(2), 'p99', lat[Math.floor(lat.length * 0.99)]!.toFixed(2));
  return lat.length / (dur / 1000);
}
const client = (L.deps.readModels as any).client;
const bare = await run('getitem', async (i) => { await client.send(new GetItemCommand({ TableName: TABLES.readModels, Key: marshall({ pk: 'certificate', sk: codes[i % 20] }), ConsistentRead: true })); });
const verify = await run('verify', async (i) => { const r = await fetch(`${L.url}/verify/${codes[i % 20]}`); await r.text(); if (r.status !== 200) throw new Error(String(r.status)); });
const miss = await run('verify-404', async (i) => { const r = await fetch(`${L.url}/verify/${newCertificateCode()}`); await r.text(); });
console.log('ratio', (verify / bare).toFixed(2), 'ratio404', (miss / bare).toFixed(2));
await L.stop();
