// Crash safety: `npm start` (functions/local/main.ts, in its own process) on a fresh data dir with a virtual clock,
// a stream of concurrent writes and PV validations (session workflows), SIGKILL in the middle, then:
//   at the kill (the server dead, its data dir opened directly): every hash chain holds, every commit is whole
//     (one PutItem each: its events fill exactly sk..last, versions follow on), every write acknowledged with a
//     2xx is there, and every acknowledged PV validation has its execution recorded;
//   after a restart on the same data dir: the executions cut short are run again and complete (their
//     certificates are issued and verify), reactions the in-process feed lost are started again, new writes work;
//   after a clean stop: `npm run verify-ledger` says intact, every execution ended SUCCEEDED, every commit that
//     triggers a capitalisation has its execution, and the read models equal a rebuild from the events.
// Used by crash.test.ts (npm test); `npx tsx test/security/crash.ts` runs it alone and prints the report.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sha256 } from '../../events/canonical-json.js';
import type { Commit } from '../../events/envelope.js';
import { checkLedger, rawCommitsOfTable, type RawCommit } from '../../functions/ledger/ledger-check.js';
import { rebuildLocalReadModels } from '../../functions/local/rebuild.js';
import { localAccountSub } from '../../functions/local/local-token.js';
import { localExecutionArn } from '../../functions/local/local-workflows.js';
import { TABLES } from '../../functions/local/runtime.js';
import { triggersCapitalisation } from '../../functions/reactions/capitalisation-trigger.js';
import type { Role } from '../../functions/shared/auth.js';
import { scenario, type As } from '../support/scenario.js';
import { projectRoot, scanTable, spawnLedger, withDataDirDynamo, type SpawnedLedger } from '../support/spawned-ledger.js';
import { eventually } from '../support/eventually.js';

const RNCP = 'RNCP38665';
const CLOCK = 'virtual:2025-09-01T08:00:00Z';
const DREETS: As = ['dreets', 'agent-1', 'Bretagne'];
const executionArn = localExecutionArn;

/**
 * The command id an acknowledged write was appended under: sha256("<account sub>|<method> <path>|<key>|<nonce>"),
 * the nonce being the one its Idempotency-Key record holds (functions/shared/dispatch.ts).
 */
async function commandIdsOfKeys(client: Parameters<typeof scanTable>[0]) {
  const nonces = new Map((await scanTable(client, TABLES.idempotency)).map((item) => [item.pk as string, item.nonce as string]));
  return (scopedKey: string) => sha256(`${scopedKey}|${nonces.get(scopedKey) ?? 'no idempotency record'}`);
}

export interface CrashReport {
  seconds: number;
  acknowledged: number;
  refusedOrCut: number;
  atKill: {
    commits: number;
    broken: string[];
    halfWritten: string[];
    lost: string[];
    executionsRunning: number;
    pvAcknowledged: number;
    pvNotRecorded: string[];
    certificatesIssued: number;
    reactionsMissing: number;
  };
  afterRestart: { resumed: number; sessionsCompleted: number; sessionsExpected: number; unverifiable: string[]; writeAfterRestart: number };
  final: {
    verifyLedgerExit: number | null;
    verifyLedgerOutput: string;
    broken: string[];
    halfWritten: string[];
    lost: string[];
    executionsNotSucceeded: string[];
    reactionsWithoutExecution: string[];
    readModelItems: number;
    readModelDifferences: string[];
  };
}

/** Structure of the commits: each one whole (events exactly sk..last) and each stream's versions following on from 1. */
function wholeCommits(raws: RawCommit[]): string[] {
  const problems: string[] = [];
  const byStream = new Map<string, Commit[]>();
  for (const raw of raws) {
    if (!raw.commit) {
      problems.push(`${raw.stream}@${raw.version}: does not decode (${raw.error})`);
      continue;
    }
    const c = raw.commit;
    if (c.events.length !== c.last - c.version + 1) problems.push(`${c.stream}@${c.version}: ${c.events.length} events for versions ${c.version}..${c.last}`);
    byStream.set(c.stream, [...(byStream.get(c.stream) ?? []), c]);
  }
  for (const [stream, commits] of byStream) {
    commits.sort((a, b) => a.version - b.version);
    commits.forEach((c, i) => {
      const expected = i === 0 ? 1 : commits[i - 1]!.last + 1;
      if (c.version !== expected) problems.push(`${stream}: commit at ${c.version} where ${expected} was expected`);
    });
  }
  return problems;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

function runVerifyLedger(dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/verify-ledger.ts'], {
      cwd: projectRoot,
      env: { ...process.env, LEDGER_DATA_DIR: dataDir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

export async function crashScenario(
  options: { dataDir?: string; writers?: number; sessions?: number; candidatesPerSession?: number; log?: (line: string) => void } = {},
): Promise<CrashReport> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ledger-crash-'));
  const WRITERS = options.writers ?? 8;
  let L: SpawnedLedger | undefined = await spawnLedger({ dataDir, clock: CLOCK });
  try {
    // The world: a centre, two jurors, sessions whose deliberations are final, waiting for their PV.
    const s = scenario(L.call);
    const centreId = await s.centre(RNCP, { validUntil: '2029-05-01' });
    const otherCentres = [await s.centre(RNCP, { validUntil: '2029-05-01', region: 'Occitanie' }), await s.centre(RNCP, { validUntil: '2029-05-01', region: 'Normandie' })];
    const jurors = await s.jurors(RNCP, 2, { validUntil: '2029-05-01' });
    const blocs = await s.blocs(RNCP);
    const sessions: { sessionId: string; candidates: { candidateId: string; outcome: 'titre' | 'ccp' }[] }[] = [];
    for (let i = 0; i < (options.sessions ?? 3); i++) {
      const day = `2025-10-${String(6 + i).padStart(2, '0')}`;
      const sessionId = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: day, endsOn: day }, jurors);
      const candidates = [];
      for (let k = 0; k < (options.candidatesPerSession ?? 6); k++) {
        const candidateId = await s.candidate(centreId, `Crash${i}x${k}`);
        await s.enrol(centreId, sessionId, candidateId);
        candidates.push({ candidateId, outcome: (k === 0 ? 'ccp' : 'titre') as 'titre' | 'ccp' });
      }
      sessions.push({ sessionId, candidates });
    }
    if ((await L.call('POST', '/_local/clock', { body: { now: '2025-10-10T09:00:00Z' } })).status !== 200) throw new Error('clock');
    for (const { sessionId, candidates } of sessions) {
      for (const c of candidates) await s.deliberate(sessionId, jurors, c.candidateId, c.outcome, blocs, c.outcome === 'titre' ? blocs.map((b) => b.code) : ['RNCP38665BC01']);
    }
    log(`set up ${sessions.length} sessions of ${sessions[0]!.candidates.length} candidates in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // The stream: writers appending new streams and to shared ones (409s expected), each with an Idempotency-Key,
    // so an acknowledged write is known by its command id: sha256("<account sub>|<method> <path>|<key>").
    const acknowledged: { what: string; scopedKey: string; stream?: string }[] = [];
    let refusedOrCut = 0;
    let killed = false;
    const server = L;
    const write = async (as: [Role, string, string?], path: string, body: unknown, key: string, streamOf?: (json: any) => string) => {
      try {
        const res = await server.call('POST', path, { as, body, headers: { 'idempotency-key': key } });
        if (res.status >= 200 && res.status < 300)
          acknowledged.push({ what: `POST ${path} (${key})`, scopedKey: `${localAccountSub(as[0], as[1])}|POST ${path}|${key}`, stream: streamOf?.(res.json) });
        else refusedOrCut++;
      } catch {
        refusedOrCut++; // cut by the kill: never acknowledged
      }
    };
    let day = 0;
    // Flat out until the first PV is acknowledged, then at a pace the one local change feed can follow: otherwise
    // the feed, which starts the session workflows, is still minutes behind the writers when the kill comes.
    let paced = false;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let n = 0; !killed; n++) {
        if (paced) await new Promise((r) => setTimeout(r, 250));
        if (n % 2 === 0)
          await write(
            ['centre', centreId],
            '/candidates',
            { familyName: `Flux${w}x${n}`, givenNames: 'Camille', birthDate: '1990-04-02' },
            `w${w}-c${n}`,
            (j) => `candidate#${j.candidateId}`,
          );
        else {
          const until = new Date(Date.parse('2026-01-01') + day++ * 86_400_000).toISOString().slice(0, 10);
          const centre = otherCentres[n % otherCentres.length]!;
          // Each centre's agrément by an agent of its own region (territorial competence).
          await write(
            ['dreets', 'agent-1', n % otherCentres.length === 0 ? 'Occitanie' : 'Normandie'],
            `/centres/${centre}/agrements`,
            { rncp: RNCP, validUntil: until },
            `w${w}-a${n}`,
          );
        }
      }
    });
    await new Promise((r) => setTimeout(r, 400));
    // The PV validations, while the writes go on; the kill comes while their workflows run.
    const pvAcknowledged: string[] = [];
    let firstPvAcknowledged: (sessionId: string) => void = () => {};
    const firstPv = new Promise<string>((resolve) => (firstPvAcknowledged = resolve));
    const pvs = sessions.map(async ({ sessionId }, i) => {
      await new Promise((r) => setTimeout(r, i * 250));
      try {
        const res = await server.call('POST', `/sessions/${sessionId}/pv-validation`, { as: DREETS });
        if (res.status === 202) {
          pvAcknowledged.push(sessionId);
          paced = true;
          firstPvAcknowledged(sessionId);
        }
      } catch {
        /* cut by the kill */
      }
    });
    // Kill once the session workflows have rendered their first certificate PDFs (s3rver writes them to the data
    // dir as they come): in the middle of their Map over candidates. (The read models lag behind under this load.)
    await firstPv;
    const documents = join(dataDir, 's3', 'ledger-documents');
    // Up to a minute: on a loaded machine the change feed that starts the workflows lags the writers by many seconds.
    for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 5))) {
      if (existsSync(documents) && readdirSync(documents, { recursive: true }).some((f) => String(f).endsWith('.pdf._S3rver_object'))) break;
    }
    await L.kill();
    killed = true;
    L = undefined;
    await Promise.all([...writers, ...pvs]);
    log(`killed after ${acknowledged.length} acknowledged writes and ${pvAcknowledged.length} acknowledged PV validations`);

    // At the kill, the data dir as the dead server left it.
    const atKill = await withDataDirDynamo(dataDir, async (client) => {
      const raws = await collect(rawCommitsOfTable(client, TABLES.events));
      const check = await checkLedger(
        (async function* () {
          yield* raws;
        })(),
      );
      const commandIds = new Set(raws.flatMap((r) => (r.commit ? [r.commit.commandId] : [])));
      const commandIdOf = await commandIdsOfKeys(client);
      const streams = new Set(raws.map((r) => r.stream));
      const journal = await scanTable(client, TABLES.workflows);
      const byId = new Map(journal.map((e) => [e.pk as string, e]));
      const triggers = raws.flatMap((r) => (r.commit && triggersCapitalisation(r.commit) ? [r.commit] : []));
      return {
        commits: raws.length,
        broken: check.broken.map((b) => b.reason),
        halfWritten: wholeCommits(raws),
        lost: acknowledged.filter((a) => !commandIds.has(commandIdOf(a.scopedKey)) || (a.stream && !streams.has(a.stream))).map((a) => a.what),
        executionsRunning: journal.filter((e) => e.status === 'RUNNING').length,
        pvAcknowledged: pvAcknowledged.length,
        // The ledger is the outbox: an acknowledged PV validation is a PvValidated commit; its workflow may not have
        // started yet at the kill (the feed starts it), and the restart must start it.
        pvNotRecorded: pvAcknowledged.filter((id) => !raws.some((r) => r.stream === `session#${id}` && r.commit?.events.some((e) => e.type === 'PvValidated'))),
        pvWithoutExecution: pvAcknowledged.filter((id) => !byId.has(executionArn('session', `session-${id}`))).length,
        certificatesIssued: raws.reduce((n, r) => n + (r.commit?.events.filter((e) => e.type === 'CertificateIssued').length ?? 0), 0),
        reactionsMissing: triggers.filter((c) => !byId.has(executionArn('capitalisation', `recompute-${c.stream.slice('candidate#'.length)}-${c.version}`))).length,
      };
    });
    log(
      `at the kill: ${atKill.commits} commits, ${atKill.executionsRunning} executions running, ${atKill.certificatesIssued} certificates issued, ${atKill.reactionsMissing} reactions and ${atKill.pvWithoutExecution} session workflows not started`,
    );

    // Restart on the same data dir: the acknowledged PV validations complete without being asked again.
    L = await spawnLedger({ dataDir, clock: CLOCK });
    const restarted = L;
    const completed = await Promise.all(
      sessions
        .filter((x) => pvAcknowledged.includes(x.sessionId))
        .map(({ candidates }) =>
          eventually(
            async () => {
              const codes: string[] = [];
              for (const { candidateId } of candidates) {
                const record = (await restarted.call('GET', `/candidates/${candidateId}/record`, { as: DREETS })).json;
                const code = record?.certificates?.[0]?.code as string | undefined;
                if (!code) return undefined;
                codes.push(code);
              }
              return codes;
              // Up to 90 s: every DynamoDB and S3 call now goes through the stand-ins' SigV4 guard (a few ms each on a
              // loaded machine), and the resumed workflows share the machine with the writers.
            },
            'the certificates of a session validated before the kill',
            90_000,
          ),
        ),
    );
    const unverifiable: string[] = [];
    for (const code of completed.flat()) {
      const res = await restarted.call('GET', `/verify/${code}`);
      if (res.status !== 200 || !/^[0-9a-f]{64}$/.test(res.json?.ledger?.hash ?? '')) unverifiable.push(`${code}: ${res.status}`);
    }
    // A client retries what was cut before its answer; new writes are accepted.
    for (const { sessionId } of sessions.filter((x) => !pvAcknowledged.includes(x.sessionId))) await restarted.call('POST', `/sessions/${sessionId}/pv-validation`, { as: DREETS });
    const writeAfterRestart = (
      await restarted.call('POST', '/candidates', { as: ['centre', centreId], body: { familyName: 'Apres', givenNames: 'Camille', birthDate: '1990-04-02' } })
    ).status;
    const stopped = await restarted.stop(); // drains every execution, then exits
    L = undefined;
    if (stopped !== 0) throw new Error(`the restarted ledger did not stop cleanly (${stopped}):\n${restarted.output()}`);
    const resumed = (/resumed workflow executions cut short by the last stop.*?"executions":\[([^\]]*)\]/.exec(restarted.output())?.[1] ?? '').split(',').filter(Boolean).length;

    // After a clean stop.
    const verifyLedger = await runVerifyLedger(dataDir);
    const final = await withDataDirDynamo(dataDir, async (client) => {
      const raws = await collect(rawCommitsOfTable(client, TABLES.events));
      const check = await checkLedger(
        (async function* () {
          yield* raws;
        })(),
      );
      const commandIds = new Set(raws.flatMap((r) => (r.commit ? [r.commit.commandId] : [])));
      const commandIdOf = await commandIdsOfKeys(client);
      const journal = await scanTable(client, TABLES.workflows);
      const byId = new Map(journal.map((e) => [e.pk as string, e]));
      return {
        broken: check.broken.map((b) => b.reason),
        halfWritten: wholeCommits(raws),
        lost: acknowledged.filter((a) => !commandIds.has(commandIdOf(a.scopedKey))).map((a) => a.what),
        executionsNotSucceeded: journal.filter((e) => e.status !== 'SUCCEEDED').map((e) => `${e.pk}: ${e.status}`),
        reactionsWithoutExecution: raws
          .flatMap((r) => (r.commit && triggersCapitalisation(r.commit) ? [r.commit] : []))
          .map((c) => executionArn('capitalisation', `recompute-${c.stream.slice('candidate#'.length)}-${c.version}`))
          .filter((id) => byId.get(id)?.status !== 'SUCCEEDED'),
        sessionsWithoutExecution: sessions.filter((x) => byId.get(executionArn('session', `session-${x.sessionId}`))?.status !== 'SUCCEEDED').map((x) => x.sessionId),
      };
    });
    // The read models as the server left them, against a rebuild from the events into a fresh table.
    const rebuilt = await rebuildLocalReadModels({ dataDir, keepPrevious: true });
    const differences = await withDataDirDynamo(dataDir, async (client) => {
      const canonical = (items: Record<string, any>[]) => new Map(items.map((i) => [`${i.pk}|${i.sk}`, JSON.stringify({ doc: JSON.parse(i.doc), position: i.position })]));
      const live = canonical(await scanTable(client, rebuilt.previous));
      const fresh = canonical(await scanTable(client, rebuilt.active));
      const keys = new Set([...live.keys(), ...fresh.keys()]);
      return {
        items: live.size,
        differences: [...keys].filter((k) => live.get(k) !== fresh.get(k)).map((k) => `${k}: ${live.has(k) ? (fresh.has(k) ? 'differs' : 'not in the rebuild') : 'missing'}`),
      };
    });

    return {
      seconds: (performance.now() - t0) / 1000,
      acknowledged: acknowledged.length,
      refusedOrCut,
      atKill,
      afterRestart: { resumed, sessionsCompleted: completed.length, sessionsExpected: pvAcknowledged.length, unverifiable, writeAfterRestart },
      final: {
        verifyLedgerExit: verifyLedger.code,
        verifyLedgerOutput: verifyLedger.output.trim().split('\n').at(-1) ?? '',
        broken: final.broken,
        halfWritten: final.halfWritten,
        lost: final.lost,
        executionsNotSucceeded: [...final.executionsNotSucceeded, ...final.sessionsWithoutExecution.map((id) => `session-${id}: none`)],
        reactionsWithoutExecution: final.reactionsWithoutExecution,
        readModelItems: differences.items,
        readModelDifferences: differences.differences,
      },
    };
  } finally {
    await L?.kill();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = await crashScenario({ log: (line) => console.log(line) });
  console.log(JSON.stringify(report, null, 2));
  const f = report.final;
  const clean =
    !report.atKill.broken.length &&
    !report.atKill.halfWritten.length &&
    !report.atKill.lost.length &&
    !f.broken.length &&
    !f.halfWritten.length &&
    !f.lost.length &&
    f.verifyLedgerExit === 0 &&
    !f.executionsNotSucceeded.length &&
    !f.reactionsWithoutExecution.length &&
    !f.readModelDifferences.length;
  console.log(clean ? 'crash safety: clean' : 'crash safety: FAILED');
  process.exitCode = clean ? 0 : 1;
}
