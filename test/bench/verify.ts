// `npm run bench -- verify`: 32 concurrent clients (autocannon's connections) verifying certificate codes over HTTP against the local server
// (startLocalLedger in this process, loopback only, the public limiter raised for the bench), next to the bare
// DynamoDB read a verification cannot avoid (GetItem of the certificate's read-model item, 32 concurrent, on the
// same dynalite), alternated in one run. The last two lines are `p99 ms: <p99>` and `ratio: <verify / GetItem>`.
// BENCH_CLIENTS (32), BENCH_SECONDS per round (4), BENCH_ROUNDS (2), BENCH_CERTIFICATES (64).
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { localDynamoClient } from '../../functions/adapters/dynamodb-client.js';
import { holderWithTitre } from '../support/holder-with-titre.js';
import { registeredCentre } from '../support/registered-centre.js';
import { localTokenKeys, signLocalToken } from '../../functions/local/local-token.js';
import type { Role } from '../../functions/shared/auth.js';
import { startLocalLedger } from '../../functions/local/runtime.js';
import { certificateStatus } from '../../functions/projections/certificate-status.js';
import { docAt } from '../../functions/projections/projection.js';
import { verificationsIn } from '../../functions/ports/verification-log.js';

const itemKey = (code: string) => {
  const [pk, sk] = docAt(certificateStatus, code);
  return { pk, sk };
};

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 64);
// The bench is one address hammering the public routes: raise its budget (the limiter still counts every hit).
process.env.PUBLIC_RATE_LIMIT ??= '1000000000';
process.env.PUBLIC_RATE_WINDOW_SECONDS ??= '60';

const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-verify-'));
const L = await startLocalLedger({ dataDir, port: 0, host: '127.0.0.1', clock: 'virtual:2025-09-01T08:00:00Z', logLevel: 'SILENT' });
const port = Number(new URL(L.url).port);
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function post(path: string, body: unknown, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

// Real certificates: candidates registered over HTTP, certificates issued as the session workflow's steps do.
const tokenKeys = await localTokenKeys(dataDir);
// Every HTTP call as its caller's own token would make it. A centre a DREETS registered: a token for an
// unregistered one registers no candidate (issue 17).
const asCaller = async (_method: string, path: string, call: { as: [role: Role, ledgerId: string, region?: string]; body: unknown }) => {
  const [role, ledgerId, region] = call.as;
  const res = await post(path, call.body, await signLocalToken(tokenKeys, role, ledgerId, region ? { region } : {}));
  return { status: res.status, json: JSON.parse(res.body) };
};
const centreId = await registeredCentre(asCaller);
const codes: string[] = [];
for (let i = 0; i < CERTIFICATES; i++) codes.push((await holderWithTitre(L.deps, asCaller, { centreId, familyName: `Banc${i}` })).code);
await L.settle();
const sample = await get(`/verify/${codes[0]}?familyName=banc0`);
if (sample.status !== 200 || !JSON.parse(sample.body).familyNameMatches) throw new Error(`GET /verify: ${sample.status} ${sample.body}`);

async function pool(work: (i: number) => Promise<number | undefined>) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        const status = await work(next++);
        if (status !== undefined && status !== 200) failures++;
        latencies.push(performance.now() - started);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { n: latencies.length, rate: latencies.length / seconds, latencies, failures };
}

// The clients are autocannon's (the usual HTTP load generator: requests built once, a lean parser, latencies in an
// HdrHistogram), on a worker thread of their own, as callers on other machines would be: they do not share the
// server's event loop (the server, its dynalite and the bare GetItem loop below all run on this thread), and what
// they spend of this machine's two cores is as little as a client can. Each round makes a fixed number of requests,
// all answered before it ends, so the records can be counted against them exactly.
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => unknown;
interface AutocannonResult {
  start: Date;
  finish: Date;
  latency: { p50: number; p99: number; max: number };
  requests: { total: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

let answered = 0;
let perSecond = 0;
async function verify(amount: number) {
  // CPU time of the whole process (server, dynalite and the clients' worker thread, its start-up included): other
  // processes on a shared machine do not inflate it, where they do inflate wall time.
  const cpu = process.cpuUsage();
  const result = await new Promise<AutocannonResult>((resolve, reject) =>
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CLIENTS,
        workers: 1,
        amount,
        // autocannon notices that every connection is done at its next sample tick (1 s by default), and finishes
        // then: sampling every 10 ms puts its finish within 10 ms of the last answer.
        sampleInt: 10,
        requests: codes.map((code) => ({ method: 'GET', path: `/verify/${code}` })),
      },
      (error, out) => (error ? reject(error) : resolve(out)),
    ),
  );
  const used = process.cpuUsage(cpu);
  // The rate over the clients' own run (autocannon's start and finish, on its worker): the worker thread's start-up
  // (loading autocannon, a fraction of a second) is no time spent verifying, and the bare side has none to pay.
  const elapsed = (new Date(result.finish).getTime() - new Date(result.start).getTime()) / 1000;
  answered += result['2xx'];
  perSecond = result.requests.total / elapsed;
  return {
    n: result.requests.total,
    rate: perSecond,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuMicros: (used.user + used.system) / result.requests.total,
  };
}

// On dynalite's socket, as the ledger's own client calls it (no guard in between).
const dynamo = localDynamoClient(L.dynamoEndpoint, L.standInCredentials, L.dynamoSocket);
const bare = () =>
  pool(async (i) => {
    const out = await dynamo.send(new GetItemCommand({ TableName: L.readModelTable, Key: marshall(itemKey(codes[i % codes.length]!)), ConsistentRead: true }));
    return out.Item ? 200 : 404;
  });

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

console.log(
  `verify bench: ${CLIENTS} concurrent clients over HTTP (127.0.0.1), ${CERTIFICATES} certificates, ${ROUNDS} rounds of ${SECONDS} s each, limiter ${process.env.PUBLIC_RATE_LIMIT}/${process.env.PUBLIC_RATE_WINDOW_SECONDS} s`,
);
// Warm both paths (the warm-up's rate sizes the rounds), then alternate them so neither gets a warmer process;
// keep each side's best round.
await verify(CLIENTS * 50);
await bare();
const verifyRounds: Awaited<ReturnType<typeof verify>>[] = [];
const bareRounds: Awaited<ReturnType<typeof bare>>[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const b = await bare();
  bareRounds.push(b);
  const sortedBare = [...b.latencies].sort((x, y) => x - y);
  console.log(
    `bare GetItem (round ${round}): ${b.n} reads, ${b.rate.toFixed(0)}/s, p50 ${percentile(sortedBare, 50).toFixed(2)} ms, p99 ${percentile(sortedBare, 99).toFixed(2)} ms`,
  );
  const v = await verify(Math.max(CLIENTS, Math.round(perSecond * SECONDS)));
  verifyRounds.push(v);
  console.log(
    `GET /verify (round ${round}): ${v.n} verifications, ${v.rate.toFixed(0)}/s, p50 ${v.p50} ms, p99 ${v.p99} ms, max ${v.max} ms, CPU ${v.cpuMicros.toFixed(0)} µs each, non-200: ${v.failures}`,
  );
}

// Every answered verification is recorded: flush what is still batched, then count the records.
await L.deps.verifications!.flush();
let recorded = 0;
// Past a day's first verifications of a code, the log tallies them (issue 17): an entry stands for `count` of them.
for (const code of codes) recorded += (await L.deps.verifications!.list(code, { since: '2000-01-01T00:00:00.000Z', limit: 100_000 })).reduce((n, e) => n + verificationsIn(e), 0);
const expected = answered + 1; // + the sample above (the warm-up round is counted in `answered`)

const bestVerify = verifyRounds.reduce((a, b) => (b.rate > a.rate ? b : a));
const bestBare = bareRounds.reduce((a, b) => (b.rate > a.rate ? b : a));
const failures = verifyRounds.reduce((n, r) => n + r.failures, 0);
agent.destroy();
dynamo.destroy();
await L.stop();
rmSync(dataDir, { recursive: true, force: true });

console.log(`verifications recorded: ${recorded} of ${expected} answered${recorded === expected ? '' : '  MISMATCH'}`);
console.log(`non-200 answers: ${failures}`);
console.log(`verify: ${bestVerify.rate.toFixed(0)}/s; bare GetItem: ${bestBare.rate.toFixed(0)}/s`);
console.log(`CPU µs per verification (process, clients included): ${Math.min(...verifyRounds.map((r) => r.cpuMicros)).toFixed(0)}`);
// The worst round's (autocannon's histogram counts whole milliseconds): no round is left out.
console.log(`p50 ms: ${Math.max(...verifyRounds.map((r) => r.p50))}`);
console.log(`p99 ms: ${Math.max(...verifyRounds.map((r) => r.p99))}`);
console.log(`ratio: ${(bestVerify.rate / bestBare.rate).toFixed(3)}`);
