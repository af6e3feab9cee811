// `npm run bench -- twin`: the same requests through `npm start` and through `npm run twin`, both started here
// (each in its own process, on a fresh data dir and a free port, with the same virtual clock). On each: a centre,
// jurors and a candidate driven through a session to a validated PV over HTTP, until the session workflow has
// issued the candidate's certificate; then, one client at a time, BENCH_COMMANDS (40) `POST /centres` (a command:
// authorizer, decide, conditional append, Streams/feed) and BENCH_VERIFIES (120, under the public limit of 300 a
// minute the template sets) `GET /verify/{code}` of that certificate. The first request of each kind is reported
// apart (a cold start on the twin, and the agent's sign-in) and left out of the percentiles. Prints a table; the last four lines are
// `twin command p50 ms: …`, `twin verify p50 ms: …`, `local command p50 ms: …`, `local verify p50 ms: …`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { localTokenKeys, signLocalToken } from '../../functions/local/local-token.js';
import { twinToken } from '../../functions/twin/token.js';
import { eventually } from '../support/eventually.js';
import { scenario, type As, type Caller } from '../support/scenario.js';
import { projectRoot, spawnLedger } from '../support/spawned-ledger.js';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 40);
const VERIFIES = Number(process.env.BENCH_VERIFIES ?? 120);
const CLOCK = 'virtual:2025-09-01T08:00:00Z';
const RNCP = 'RNCP38665';

interface Target {
  name: 'local' | 'twin';
  url: string;
  token(as: As): Promise<string>;
  stop(): Promise<void>;
}

/** `npm run twin` in a process of its own, as a user starts it; its address from what it prints. */
async function spawnTwin(dataDir: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/twin/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LEDGER_DATA_DIR: dataDir, PORT: '0', LEDGER_CLOCK: CLOCK },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the twin did not start within 10 minutes:\n${output}`)), 600_000);
    child.stdout!.on('data', () => {
      const m = / on (http:\/\/\S+) \(data in /.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the twin exited before answering:\n${output}`));
    });
  });
  return {
    url,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function callerOf(target: Target): Caller {
  const tokens = new Map<string, Promise<string>>();
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.as) {
      const k = opts.as.join('|');
      if (!tokens.has(k)) tokens.set(k, target.token(opts.as));
      headers.authorization = `Bearer ${await tokens.get(k)}`;
    }
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(target.url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  };
}

/** A real certificate: the certifier's journey over HTTP, until the session workflow has issued the titre. */
async function issuedCertificate(target: Target, call: Caller): Promise<string> {
  const s = scenario(call);
  const centreId = await s.centre(RNCP, { validUntil: '2029-05-12' });
  const jurors = await s.jurors(RNCP, 2, { validUntil: '2029-05-12' });
  const blocs = await s.blocs(RNCP);
  const candidateId = await s.candidate(centreId, 'Moreau');
  const sessionId = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-07' }, jurors);
  await s.enrol(centreId, sessionId, candidateId);
  const moved = await call('POST', '/_local/clock', { body: { now: '2025-10-07T14:00:00Z' } });
  if (moved.status !== 200) throw new Error(`${target.name}: POST /_local/clock: ${moved.status} ${moved.text}`);
  await s.deliberate(sessionId, jurors, candidateId, 'titre', blocs, ['RNCP38665BC01', 'RNCP38665BC02']);
  await s.validatePv(sessionId);
  return eventually(
    async () => {
      const r = await call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] });
      return r.json?.certifications?.[0]?.titre?.certificateCode as string | undefined;
    },
    `${target.name}: the titre issued`,
    120_000,
  );
}

interface Measure {
  target: string;
  what: string;
  first: number;
  samples: number[];
}
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const fmt = (ms: number) => ms.toFixed(1);

async function timed(n: number, request: (i: number) => Promise<{ status: number; text: string }>, expected: number, what: string): Promise<{ first: number; samples: number[] }> {
  const all: number[] = [];
  for (let i = 0; i < n + 1; i++) {
    const t0 = performance.now();
    const r = await request(i);
    all.push(performance.now() - t0);
    if (r.status !== expected) throw new Error(`${what}: ${r.status} ${r.text}`);
  }
  return { first: all[0]!, samples: all.slice(1).sort((a, b) => a - b) };
}

async function measure(target: Target): Promise<Measure[]> {
  const call = callerOf(target);
  const t0 = performance.now();
  const code = await issuedCertificate(target, call);
  console.log(`${target.name}: certificate ${code} issued through the journey in ${fmt((performance.now() - t0) / 1000)} s`);
  const dreets: As = ['dreets', 'agent-bench', 'Bretagne'];
  const command = await timed(
    COMMANDS,
    (i) => call('POST', '/centres', { as: dreets, body: { name: `Centre de mesure ${i}`, region: 'Bretagne' } }),
    201,
    `${target.name} POST /centres`,
  );
  const verify = await timed(VERIFIES, () => call('GET', `/verify/${code}`), 200, `${target.name} GET /verify`);
  return [
    { target: target.name, what: 'POST /centres', ...command },
    { target: target.name, what: 'GET /verify/{code}', ...verify },
  ];
}

const dirs = { local: mkdtempSync(join(tmpdir(), 'bench-twin-local-')), twin: mkdtempSync(join(tmpdir(), 'bench-twin-twin-')) };
const started: Target[] = [];
try {
  // Both up at once, in one run; measured one after the other so they do not share the two cores while timed.
  const [localStart, twinStart] = await Promise.allSettled([spawnLedger({ dataDir: dirs.local, clock: CLOCK }), spawnTwin(dirs.twin)]);
  if (localStart.status === 'rejected' || twinStart.status === 'rejected') {
    if (localStart.status === 'fulfilled') await localStart.value.stop();
    if (twinStart.status === 'fulfilled') await twinStart.value.stop();
    throw localStart.status === 'rejected' ? localStart.reason : (twinStart as PromiseRejectedResult).reason;
  }
  const [local, twin] = [localStart.value, twinStart.value];
  const keys = await localTokenKeys(dirs.local);
  started.push(
    {
      name: 'local',
      url: local.url,
      token: ([role, id, region]) => signLocalToken(keys, role, id, region ? { region } : {}),
      stop: async () => {
        await local.stop();
      },
    },
    {
      name: 'twin',
      url: twin.url,
      // The token command's way: through the running twin's user pool (cognito-local).
      token: ([role, ledgerId, region]) => twinToken(projectRoot, dirs.twin, { role, ledgerId, ...(region ? { region } : {}) }),
      stop: twin.stop,
    },
  );
  console.log(`npm start on ${local.url}, npm run twin on ${twin.url}`);
  const results: Measure[] = [];
  for (const target of started) results.push(...(await measure(target)));

  console.log('');
  console.log('target  request               n     first ms  p50 ms  p90 ms  max ms');
  for (const m of results) {
    console.log(
      `${m.target.padEnd(7)} ${m.what.padEnd(21)} ${String(m.samples.length).padEnd(5)} ${fmt(m.first).padStart(8)} ${fmt(percentile(m.samples, 50)).padStart(7)} ${fmt(percentile(m.samples, 90)).padStart(7)} ${fmt(m.samples.at(-1)!).padStart(7)}`,
    );
  }
  const p50 = (target: string, what: string) => fmt(percentile(results.find((m) => m.target === target && m.what === what)!.samples, 50));
  console.log(`twin command p50 ms: ${p50('twin', 'POST /centres')}`);
  console.log(`twin verify p50 ms: ${p50('twin', 'GET /verify/{code}')}`);
  console.log(`local command p50 ms: ${p50('local', 'POST /centres')}`);
  console.log(`local verify p50 ms: ${p50('local', 'GET /verify/{code}')}`);
} finally {
  for (const t of started) await t.stop().catch(() => {});
  for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
}
