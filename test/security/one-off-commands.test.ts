import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/spawned-ledger.js';
import { startTestLedger } from '../support/local-ledger.js';

// Issue 17: `npm run rebuild` and `verify-ledger` opened dynalite on a loopback TCP port of its own while they ran,
// and `reissue-credentials` and `restart-session-workflow` the ledger's HTTP server: any process of any user on the
// machine could list (and write) the tables meanwhile, without the data dir's credentials. Each command runs here
// as npm runs it, with a preload that asks every TCP port it opens, unsigned, for the tables and the buckets.

interface Probe {
  host: string;
  port: number;
  dynamo: { status: number; body: string };
  s3: { status: number; body: string };
}

/** Every file and folder under `dir`, with its mode and when it was last written. */
function filesUnder(dir: string): { path: string; mode: number; mtimeMs: number; socket: boolean }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const stat = statSync(path);
    const self = { path, mode: stat.mode, mtimeMs: stat.mtimeMs, socket: entry.isSocket() };
    return entry.isDirectory() ? [self, ...filesUnder(path)] : [self];
  });
}

let dataDir: string;
beforeAll(async () => {
  const L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
  dataDir = L.dataDir;
  await L.stop();
}, 120_000);

function runProbed(script: string, args: string[] = []) {
  const probes = join(mkdtempSync(join(tmpdir(), 'listen-probe-')), 'probes.jsonl');
  // Under a shell's usual umask (022), as an operator runs it: the command itself must keep its files private.
  const run = spawnSync(
    '/bin/sh',
    [
      '-c',
      'umask 022 && exec "$@"',
      'sh',
      process.execPath,
      '--import',
      'tsx',
      '--import',
      join(projectRoot, 'test/support/listen-probe.ts'),
      join(projectRoot, 'functions/local', script),
      ...args,
    ],
    {
      cwd: projectRoot,
      env: { ...process.env, LEDGER_DATA_DIR: dataDir, EVENTS_TABLE: '', LISTEN_PROBE_FILE: probes, LEDGER_CLOCK: 'virtual:2025-09-01T08:00:00Z' },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  const seen: Probe[] = existsSync(probes)
    ? readFileSync(probes, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
    : [];
  return { run, seen };
}

describe('a one-off command opens the local ledger as `npm start` does: no TCP port answers without the data dir’s signature', () => {
  it.each([
    ['rebuild.ts', [], 0],
    ['verify-ledger.ts', [], 0],
    ['reissue-credentials.ts', [], 0],
    // No such session: the command is refused after it opened the ledger, which is what is looked at here.
    ['restart-session-workflow.ts', ['no-such-session', '2'], 3],
  ] as const)(
    'npm run %s',
    (script, args, exitCode) => {
      const since = Date.now() - 1000;
      const { run, seen } = runProbed(script, [...args]);
      expect(run.status, run.stderr).toBe(exitCode);
      // Issue 17: what the command wrote in the data dir (dynalite's logs and tables, the read-models switch) is 0600.
      const written = filesUnder(dataDir).filter((f) => f.mtimeMs >= since && !f.socket);
      expect(written.length).toBeGreaterThan(0);
      expect(written.filter((f) => (f.mode & 0o077) !== 0).map((f) => `${f.path} ${(f.mode & 0o777).toString(8)}`)).toEqual([]);
      // The two SigV4 guards (dynalite's and s3rver's), on loopback; nothing else on TCP, no HTTP server.
      expect(seen).toHaveLength(2);
      for (const probe of seen) {
        expect(probe.host).toBe('127.0.0.1');
        expect(probe.dynamo.status).toBe(403);
        expect(probe.dynamo.body).not.toContain('ledger-events');
        expect(probe.s3.status).toBe(403);
        expect(probe.s3.body).not.toContain('ListAllMyBucketsResult');
      }
    },
    150_000,
  );

  it('a command on a data dir `npm start` holds is refused, and the running server keeps its sockets', async () => {
    const L = await startTestLedger({ dataDir, clock: 'virtual:2025-09-01T08:00:00Z' });
    try {
      const { run } = runProbed('rebuild.ts');
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/still running/);
      expect((await L.call('GET', '/certifications')).status).toBe(200);
      expect(existsSync(join(dataDir, 'sockets', 'dynamodb.sock'))).toBe(true);
    } finally {
      await L.stop();
    }
  }, 150_000);
});
