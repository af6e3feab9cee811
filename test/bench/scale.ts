// `npm run bench -- scale`: whether a request's cost grows with the ledger (DESIGN.md §3, issue 15). Three ledgers
// of N, 4N and 16N candidates (BENCH_SCALE_N, 500 by default), spread over the referential's certifications, four
// years and 24 centres, in sessions of 8. Each certification is delivered by the same four habilitated centres in
// turn, so the (version, year) asked for names the same centres at every size: its answer is the same size while
// the candidates behind it are 16 times as many; likewise the centre whose sessions are read is a small one with
// the same four sessions at every size. What grows is the ledger, not the question (the answers' sizes are
// printed). Written straight into the events table as stored commits (the set-up is not what is measured):
// centres, sessions (scheduled, enrolments, final deliberations, PV) and candidates (registered, CCPs and titres on
// the PV date, a 6-month survey for half the titre holders), projected by the ledger's own projector, plus a few
// certificates issued through the real issuance. Then, on each, over HTTP against the local server: the p50 of
// GET /statistics (one version, one year), GET /centres/{centreId}/sessions, GET /candidates/{candidateId}/record
// and GET /verify/{code}; and the time `npm start` takes on that data dir until it listens. Last lines:
// `growth <figure>: <p50 at 16N / p50 at N>`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../../functions/adapters/dynamodb-client.js';
import { commitToItem } from '../../functions/adapters/dynamodb-event-store.js';
import { newCertificateCode } from '../../functions/certificates/issue-certificate.js';
import { TABLES, startLocalLedger } from '../../functions/local/runtime.js';
import { CATALOGUE_PARTITION, type CatalogueEntry } from '../../functions/projections/certification-catalogue.js';
import { encodeEvent, type LedgerEvent } from '../../events/registry.js';
import { issueCertificate } from '../support/issue-certificate.js';
import { generatedStreams, prng } from './generated-streams.js';

const N = Number(process.env.BENCH_SCALE_N ?? 500);
const REQUESTS = Number(process.env.BENCH_SCALE_REQUESTS ?? 200);
const SESSION_SIZE = 8;
const CENTRES = 24;
/** The centres delivering each certification, in turn. */
const HABILITATED = 4;
/** The centre whose sessions GET /centres/{centreId}/sessions reads: the same few at every size, in a ledger 16 times as large. */
const SMALL_CENTRE = `centre-${CENTRES}`;
const SMALL_CENTRE_SESSIONS = 4;
const YEARS = [2021, 2022, 2023, 2024];
const REGIONS = ['Bretagne', 'Hauts-de-France', 'Occitanie', 'Normandie', 'Grand Est', 'Île-de-France'];
const ROUTES = ['formation_continue', 'formation_continue', 'apprentissage', 'contrat_professionnalisation', 'vae'] as const;
const CERTIFICATES = 8;

/** Every stream's commits, in the order the projector is given them: centres, sessions, then candidates. */
function generate(candidates: number, versions: readonly { rncp: string; blocs: string[] }[]) {
  const random = prng(candidates);
  const { streams, commit: commitAs } = generatedStreams('scale', encodeEvent);
  const commit = (stream: string, at: string, events: LedgerEvent[]) => commitAs(stream, at, 'system:bench', events);
  const centres = Array.from({ length: CENTRES }, (_, i) => `centre-${i + 1}`);
  centres.forEach((centreId, i) => {
    commit(`centre#${centreId}`, '2020-01-06T08:00:00.000Z', [{ type: 'CentreRegistered', data: { centreId, name: `Centre ${i + 1}`, region: REGIONS[i % REGIONS.length]! } }]);
  });
  const sessions = Math.ceil(candidates / SESSION_SIZE);
  const someCandidates: { candidateId: string; centreId: string; rncp: string; blocs: string[]; issuedOn: string; sessionId: string }[] = [];
  for (let s = 0; s < sessions; s++) {
    const sessionId = `session-${s + 1}`;
    // Round robin: version, then year, then the version's next habilitated centre.
    const v = s % versions.length;
    const version = versions[v]!;
    const year = YEARS[Math.floor(s / versions.length) % YEARS.length]!;
    // The first few sessions (in the first year, not the one asked for) are the small centre's, whose list is read.
    const habilitated = (v * Math.floor((CENTRES - 1) / versions.length) + (Math.floor(s / (versions.length * YEARS.length)) % HABILITATED)) % (CENTRES - 1);
    const centreId = s < SMALL_CENTRE_SESSIONS ? SMALL_CENTRE : centres[habilitated]!;
    const day = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 27)).padStart(2, '0')}`;
    const at = `${day}T09:00:00.000Z`;
    const stream = `session#${sessionId}`;
    commit(stream, at, [{ type: 'SessionScheduled', data: { sessionId, rncp: version.rncp, kind: 'titre', blocs: version.blocs, centreId, startsOn: day, endsOn: day } }]);
    const members = Array.from({ length: Math.min(SESSION_SIZE, candidates - s * SESSION_SIZE) }, (_, i) => `cand-${s * SESSION_SIZE + i + 1}`);
    const outcomes = members.map(() => {
      const r = random();
      return r < 0.8 ? 'titre' : r < 0.9 ? 'ccp' : r < 0.96 ? 'ajourne' : 'absent';
    });
    for (const candidateId of members) commit(`candidate#${candidateId}`, at, [{ type: 'CandidateRegistered', data: { candidateId, registeredBy: centreId } }]);
    commit(
      stream,
      at,
      members.map((candidateId, i) => ({ type: 'CandidateEnrolled', data: { candidateId, route: ROUTES[i % ROUTES.length]!, blocs: version.blocs } })),
    );
    commit(
      stream,
      `${day}T17:00:00.000Z`,
      members.map((candidateId, i) => {
        const outcome = outcomes[i]!;
        const blocs = outcome === 'titre' ? version.blocs : outcome === 'ccp' ? [version.blocs[0]!] : [];
        return { type: 'DeliberationFinalised', data: { candidateId, outcome, blocs, finalInterviewHeld: outcome === 'titre' } };
      }),
    );
    commit(stream, `${day}T18:00:00.000Z`, [{ type: 'PvValidated', data: { validatedBy: 'agent-1', validatedOn: day } }]);
    members.forEach((candidateId, i) => {
      const outcome = outcomes[i]!;
      if (outcome !== 'titre' && outcome !== 'ccp') return;
      const blocs = outcome === 'titre' ? version.blocs : [version.blocs[0]!];
      const events: LedgerEvent[] = blocs.map((bloc) => ({
        type: 'CcpAcquired',
        data: { candidateId, rncp: version.rncp, bloc, acquiredOn: day, via: { kind: 'session', sessionId } },
      }));
      if (outcome === 'titre') events.push({ type: 'TitreIssued', data: { candidateId, rncp: version.rncp, issuedOn: day, sessionId, blocs, route: 'session' } });
      commit(`candidate#${candidateId}`, `${day}T19:00:00.000Z`, events);
      if (outcome === 'titre' && random() < 0.5)
        commit(`candidate#${candidateId}`, `${year + 1}-01-15T09:00:00.000Z`, [
          { type: 'InsertionSurveyRecorded', data: { candidateId, horizon: '6m', situation: random() < 0.7 ? 'employed_target_job' : 'unemployed', recordedBy: 'ministry:bench' } },
        ]);
      if (outcome === 'titre' && someCandidates.length < CERTIFICATES) someCandidates.push({ candidateId, centreId, rncp: version.rncp, blocs, issuedOn: day, sessionId });
    });
  }
  const order = (stream: string) => (stream.startsWith('centre#') ? 0 : stream.startsWith('session#') ? 1 : 2);
  const runs = [...streams.entries()].sort(([a], [b]) => order(a) - order(b)).map(([, commits]) => commits);
  return { runs, commits: runs.reduce((n, r) => n + r.length, 0), events: runs.flat().reduce((n, c) => n + c.events.length, 0), someCandidates };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `npm start` on the data dir: milliseconds until it says it is running (then it is killed: the dir is thrown away). */
async function startTime(dataDir: string): Promise<number> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: process.cwd(),
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, PORT: String(port), LEDGER_CLOCK: 'virtual:2025-09-01T08:00:00Z', LOG_LEVEL: 'ERROR' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`npm start did not listen within 10 minutes: ${out.slice(-2000)}`)), 600_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('is running on')) {
          clearTimeout(timer);
          resolve(performance.now() - began);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.on('exit', (code) => reject(new Error(`npm start exited (${code}): ${out.slice(-2000)}`)));
    });
  } finally {
    // The process group this bench started (npm and its node): the data dir is discarded with whatever it was doing.
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  }
}

interface Figures {
  statistics: number;
  centreSessions: number;
  record: number;
  verify: number;
  start: number;
}

type Ledger = Awaited<ReturnType<typeof startLocalLedger>>;

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** A data dir with a ledger of `candidates`, served by a local server in this process. */
async function setUp(candidates: number) {
  const dataDir = mkdtempSync(join(tmpdir(), `ledger-bench-scale-${candidates}-`));
  process.env.PUBLIC_RATE_LIMIT ??= '1000000000';
  const L = await startLocalLedger({ dataDir, port: 0, host: '127.0.0.1', clock: 'virtual:2025-09-01T08:00:00Z', logLevel: 'SILENT' });
  const catalogue = (await L.deps.readModels.query<CatalogueEntry>(CATALOGUE_PARTITION)).map((d) => d.doc.version);
  const versions = catalogue.filter((v) => v.blocs.length).map((v) => ({ rncp: v.rncp, blocs: v.blocs.map((b) => b.code) }));
  const began = performance.now();
  const { runs, commits, events, someCandidates } = generate(candidates, versions);
  // Straight into the events table (no change feed: no reaction runs), then the ledger's projector.
  const dynamo = localDynamoClient(L.dynamoEndpoint, L.standInCredentials);
  const items = runs.flat().map(commitToItem);
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
  await inParallel(batches, 4, async (batch) => {
    let pending = { [TABLES.events]: batch.map((Item) => ({ PutRequest: { Item } })) };
    while (pending[TABLES.events]?.length) {
      const out = await dynamo.send(new BatchWriteItemCommand({ RequestItems: pending }));
      pending = (out.UnprocessedItems ?? {}) as typeof pending;
    }
  });
  dynamo.destroy();
  // Centres first, then sessions, then candidates: each group's streams projected 8 at a time.
  for (const group of ['centre#', 'session#', 'candidate#']) {
    await inParallel(
      runs.filter((r) => r[0]!.stream.startsWith(group)),
      8,
      (run) => L.projector.applyRun(run),
    );
  }
  const codes: string[] = [];
  for (const c of someCandidates) {
    const code = newCertificateCode();
    await issueCertificate(L.deps, {
      code,
      candidateId: c.candidateId,
      kind: 'titre',
      rncp: c.rncp,
      blocs: c.blocs,
      issuedOn: c.issuedOn,
      sessionId: c.sessionId,
      commandId: `bench:${code}`,
    });
    codes.push(code);
  }
  await L.settle();
  console.log(`${candidates} candidates: ${commits} commits, ${events} events, set up in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  return { candidates, dataDir, L, codes, rncp: versions[0]!.rncp };
}

function client(L: Ledger) {
  const port = Number(new URL(L.url).port);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string, token?: string) =>
    new Promise<{ status: number; ms: number; bytes: number }>((resolve, reject) => {
      const began = performance.now();
      const req = request({ host: '127.0.0.1', port, path, agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - began, bytes }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  return { get, close: () => agent.destroy() };
}

const sizes = [N, 4 * N, 16 * N];
const ledgers = [];
for (const size of sizes) ledgers.push(await setUp(size));

type Figure = Exclude<keyof Figures, 'start'>;
const requests = await Promise.all(
  ledgers.map(async ({ L, candidates, codes, rncp }) => {
    const sign = L.deps.localTokens!.sign;
    const [ministry, centre, dreets] = await Promise.all([sign('ministry', 'dgefp-1'), sign('centre', SMALL_CENTRE), sign('dreets', 'agent-1', { region: 'Bretagne' })]);
    return {
      statistics: (_: number) => ({ path: `/statistics?rncp=${rncp}&year=2023`, token: ministry }),
      centreSessions: (_: number) => ({ path: `/centres/${SMALL_CENTRE}/sessions`, token: centre }),
      record: (i: number) => ({ path: `/candidates/cand-${1 + ((i * 7919) % candidates)}/record`, token: dreets }),
      verify: (i: number) => ({ path: `/verify/${codes[i % codes.length]}`, token: undefined }),
    } satisfies Record<Figure, (i: number) => { path: string; token: string | undefined }>;
  }),
);
const clients = ledgers.map(({ L }) => client(L));
const timings = ledgers.map((): Record<Figure, number[]> => ({ statistics: [], centreSessions: [], record: [], verify: [] }));
const answerBytes = ledgers.map((): Record<Figure, number> => ({ statistics: 0, centreSessions: 0, record: 0, verify: 0 }));
// The sizes alternate request by request, so the machine's load falls on all three alike.
for (let i = 0; i < REQUESTS + 10; i++) {
  for (const name of ['statistics', 'centreSessions', 'record', 'verify'] as const) {
    for (const [k, c] of clients.entries()) {
      const { path, token } = requests[k]![name](i);
      const res = await c.get(path, token);
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      if (i >= 10) timings[k]![name].push(res.ms); // the first ten: warming up
      answerBytes[k]![name] = res.bytes;
      // What a Lambda does at the end of each invocation: the verifications it held are written now, not 20 ms
      // later in the middle of another ledger's request (the three servers share this thread).
      await ledgers[k]!.L.deps.verifications!.flush();
    }
  }
}
for (const c of clients) c.close();
for (const { L } of ledgers) await L.stop();
const results: Figures[] = [];
try {
  for (const [k, { candidates, dataDir }] of ledgers.entries()) {
    const t = timings[k]!;
    const b = answerBytes[k]!;
    console.log(`${candidates} candidates: answers (bytes) statistics ${b.statistics}, centre sessions ${b.centreSessions}, record ${b.record}, verify ${b.verify}`);
    const out = { statistics: p50(t.statistics), centreSessions: p50(t.centreSessions), record: p50(t.record), verify: p50(t.verify), start: await startTime(dataDir) };
    console.log(
      `${candidates} candidates: p50 ms statistics ${out.statistics.toFixed(2)}, centre sessions ${out.centreSessions.toFixed(2)}, record ${out.record.toFixed(2)}, verify ${out.verify.toFixed(2)}; npm start ${out.start.toFixed(0)} ms`,
    );
    results.push(out);
  }
} finally {
  for (const { dataDir } of ledgers) rmSync(dataDir, { recursive: true, force: true });
}
const names: [keyof Figures, string][] = [
  ['statistics', 'GET /statistics'],
  ['centreSessions', 'GET /centres/{centreId}/sessions'],
  ['record', 'GET /candidates/{candidateId}/record'],
  ['verify', 'GET /verify/{code}'],
  ['start', 'npm start'],
];
for (const [key, label] of names) console.log(`growth ${label}: ${(results[2]![key] / results[0]![key]).toFixed(2)}`);
