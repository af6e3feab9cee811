// `npm run bench -- soak`: a mixed load of writes and reads against the local server (startLocalLedger in this
// process, on 127.0.0.1) for a bounded time, then every acknowledged write is read back. Errors are 5xx answers and
// network errors (a 409 on a contended stream is an answer of the contract, counted apart). The last two lines
// are `errors: <n>` and `lost writes: <n>`. SOAK_SECONDS (30), SOAK_CLIENTS (16), SOAK_CERTIFICATES (16).
// The public limiter is raised (every client is 127.0.0.1): the soak is about the server, the limiter has its tests.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidateStream } from '../../domain/candidate.js';
import { centreStream } from '../../domain/centre.js';
import { sha256 } from '../../events/canonical-json.js';
import { newCertificateCode } from '../../functions/certificates/issue-certificate.js';
import { issueCertificate } from '../support/issue-certificate.js';
import { localAccountSub, localTokenKeys, signLocalToken } from '../../functions/local/local-token.js';
import { startLocalLedger, TABLES } from '../../functions/local/runtime.js';
import { localDynamoClient } from '../../functions/adapters/dynamodb-client.js';
import { scanTable } from '../support/spawned-ledger.js';
import type { Role } from '../../functions/shared/auth.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 30);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 16);
const CERTIFICATES = Number(process.env.SOAK_CERTIFICATES ?? 16);
const RNCP = 'RNCP38665';
process.env.PUBLIC_RATE_LIMIT ??= '1000000000';

const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-soak-'));
const L = await startLocalLedger({ dataDir, port: 0, host: '127.0.0.1', clock: 'virtual:2025-09-01T08:00:00Z', logLevel: 'SILENT' });
const port = Number(new URL(L.url).port);
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS + 4 });
const keys = await localTokenKeys(dataDir);
const tokens = new Map<string, string>();
const token = async (role: Role, sub: string, region?: string) => {
  const k = `${role}:${sub}:${region ?? ''}`;
  if (!tokens.has(k)) tokens.set(k, await signLocalToken(keys, role, sub, region ? { region } : {}));
  return tokens.get(k)!;
};

function call(method: string, path: string, opts: { as?: [Role, string, string?]; body?: unknown; key?: string } = {}): Promise<{ status: number; body: string }> {
  return (async () => {
    const text = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string | number> = {};
    if (opts.as) headers.authorization = `Bearer ${await token(...opts.as)}`;
    if (text !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    if (opts.key) headers['idempotency-key'] = opts.key;
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(text);
    });
  })();
}

// The world: centres with an agrément, candidates with certificates to verify.
const centres: string[] = [];
/** Each centre's agréments are granted by an agent of its region (territorial competence). */
const regionOf = new Map<string, string>();
for (const region of ['Bretagne', 'Occitanie', 'Normandie']) {
  const res = await call('POST', '/centres', { as: ['dreets', 'agent-1', region], body: { name: `Centre ${region}`, region } });
  centres.push(JSON.parse(res.body).centreId);
  regionOf.set(JSON.parse(res.body).centreId, region);
}
const codes: string[] = [];
const candidates: { candidateId: string; centreId: string }[] = [];
for (let i = 0; i < CERTIFICATES; i++) {
  const centreId = centres[i % centres.length]!;
  const res = await call('POST', '/candidates', { as: ['centre', centreId], body: { familyName: `Soak${i}`, givenNames: 'Camille', birthDate: '1990-04-02' } });
  const { candidateId } = JSON.parse(res.body) as { candidateId: string };
  const code = newCertificateCode();
  await issueCertificate(L.deps, {
    code,
    candidateId,
    kind: 'titre',
    rncp: RNCP,
    blocs: ['RNCP38665BC01', 'RNCP38665BC02'],
    issuedOn: '2025-09-01',
    sessionId: 'session-soak',
    commandId: `soak:${code}`,
  });
  codes.push(code);
  candidates.push({ candidateId, centreId });
}
await L.settle();

interface Acked {
  what: string;
  stream: string;
  /** The Idempotency-Key as the server scopes it: the write's command id is sha256("<scopedKey>|<nonce of its record>"). */
  scopedKey: string;
  candidateId?: string;
  centreId: string;
}
const acked: Acked[] = [];
const statuses = new Map<string, number>();
let errors = 0;
let requests = 0;
const errorSamples: string[] = [];
const count = (label: string, status: number, body?: string) => {
  requests++;
  statuses.set(`${label} ${status}`, (statuses.get(`${label} ${status}`) ?? 0) + 1);
  if (status >= 500 || status === 0) {
    errors++;
    if (errorSamples.length < 5) errorSamples.push(`${label} ${status} ${body?.slice(0, 200) ?? ''}`);
  }
};

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;
let agrementDay = 0;
const operations: [weight: number, label: string, run: (client: number, n: number) => Promise<void>][] = [
  [
    3,
    'POST /candidates',
    async (client, n) => {
      const centreId = pick(centres);
      const key = `soak-${client}-${n}-${randomUUID()}`;
      const res = await call('POST', '/candidates', {
        as: ['centre', centreId],
        body: { familyName: `Charge${client}x${n}`, givenNames: 'Camille', birthDate: '1990-04-02' },
        key,
      });
      count('POST /candidates', res.status, res.body);
      if (res.status === 201) {
        const { candidateId } = JSON.parse(res.body) as { candidateId: string };
        acked.push({
          what: `candidate ${candidateId}`,
          stream: candidateStream(candidateId),
          scopedKey: `${localAccountSub('centre', centreId)}|POST /candidates|${key}`,
          candidateId,
          centreId,
        });
        candidates.push({ candidateId, centreId });
      }
    },
  ],
  [
    2,
    'POST /centres/{id}/agrements',
    async (client, n) => {
      const centreId = pick(centres);
      const validUntil = new Date(Date.parse('2026-01-01') + (agrementDay++ % 1200) * 86_400_000).toISOString().slice(0, 10);
      const key = `soak-a-${client}-${n}-${randomUUID()}`;
      const path = `/centres/${centreId}/agrements`;
      const res = await call('POST', path, { as: ['dreets', 'agent-1', regionOf.get(centreId)!], body: { rncp: RNCP, validUntil }, key });
      count('POST /centres/{id}/agrements', res.status, res.body);
      if (res.status === 201)
        acked.push({
          what: `agrément ${validUntil} of ${centreId}`,
          stream: centreStream(centreId),
          scopedKey: `${localAccountSub('dreets', 'agent-1')}|POST ${path}|${key}`,
          centreId,
        });
    },
  ],
  [
    6,
    'GET /verify/{code}',
    async () => {
      const res = await call('GET', `/verify/${pick(codes)}`);
      count('GET /verify/{code}', res.status, res.body);
    },
  ],
  [
    3,
    'GET /candidates/{id}/record',
    async () => {
      const { candidateId, centreId } = pick(candidates);
      const res = await call('GET', `/candidates/${candidateId}/record`, { as: ['centre', centreId] });
      count('GET /candidates/{id}/record', res.status, res.body);
    },
  ],
  [
    1,
    'GET /certifications',
    async () => {
      const res = await call('GET', '/certifications');
      count('GET /certifications', res.status, res.body);
    },
  ],
  [
    1,
    'GET /centres/{id}/sessions',
    async () => {
      const centreId = pick(centres);
      const res = await call('GET', `/centres/${centreId}/sessions`, { as: ['centre', centreId] });
      count('GET /centres/{id}/sessions', res.status, res.body);
    },
  ],
];
const totalWeight = operations.reduce((n, [w]) => n + w, 0);
const chooseOperation = () => {
  let r = Math.random() * totalWeight;
  for (const op of operations) if ((r -= op[0]) < 0) return op;
  return operations[0]!;
};

console.log(`soak: ${CLIENTS} clients for ${SECONDS} s over HTTP (127.0.0.1), writes (candidates, agréments on 3 shared centres) and reads (verify, records, catalogue, sessions)`);
const t0 = performance.now();
const end = t0 + SECONDS * 1000;
let lastReport = t0;
await Promise.all(
  Array.from({ length: CLIENTS }, async (_, client) => {
    for (let n = 0; performance.now() < end; n++) {
      const [, label, run] = chooseOperation();
      try {
        await run(client, n);
      } catch (error) {
        count(label, 0, String(error));
      }
      if (client === 0 && performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        console.log(`  ${((lastReport - t0) / 1000).toFixed(0)} s: ${requests} requests, ${acked.length} writes acknowledged, ${errors} errors`);
      }
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;

// Every acknowledged write, read back: its commit in the ledger (by command id), and through the API.
const settling = performance.now();
await L.settle();
console.log(`change feed and workflows caught up ${((performance.now() - settling) / 1000).toFixed(1)} s after the load`);
const lost: string[] = [];
const streams = new Map<string, Set<string>>();
const idempotency = localDynamoClient(L.dynamoEndpoint, L.standInCredentials);
const nonces = new Map((await scanTable(idempotency, TABLES.idempotency)).map((item) => [item.pk as string, item.nonce as string]));
idempotency.destroy();
const commandIdOf = (scopedKey: string) => sha256(`${scopedKey}|${nonces.get(scopedKey) ?? 'no idempotency record'}`);
for (const a of acked) {
  if (!streams.has(a.stream)) streams.set(a.stream, new Set((await L.deps.store.read(a.stream)).commits.map((c) => c.commandId)));
  if (!streams.get(a.stream)!.has(commandIdOf(a.scopedKey))) lost.push(`${a.what}: no commit`);
  else if (a.candidateId) {
    const res = await call('GET', `/candidates/${a.candidateId}/record`, { as: ['centre', a.centreId] });
    if (res.status !== 200) lost.push(`${a.what}: GET record ${res.status}`);
  }
}
agent.destroy();
await L.stop();
rmSync(dataDir, { recursive: true, force: true });

for (const [label, n] of [...statuses].sort()) console.log(`  ${label}: ${n}`);
for (const sample of errorSamples) console.log(`  error: ${sample}`);
for (const l of lost.slice(0, 5)) console.log(`  lost: ${l}`);
console.log(`${requests} requests in ${seconds.toFixed(1)} s = ${(requests / seconds).toFixed(0)}/s; ${acked.length} writes acknowledged, all read back: ${lost.length === 0}`);
console.log(`errors: ${errors}`);
console.log(`lost writes: ${lost.length}`);
