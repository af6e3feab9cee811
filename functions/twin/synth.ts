import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

/** What the stack is made from: a change in any of these may change the template or a bundle. */
export const SYNTH_SOURCES = ['infra', 'functions', 'events', 'domain', 'referential', 'web', 'package-lock.json', 'cdk.json', 'tsconfig.json'] as const;

/**
 * Left out of the hash: the twin itself is no part of the stack (no bundle may import it, it is AGPL-adjacent
 * through iam-simulate), so editing it must not cost a 40 s synth.
 */
const NOT_IN_STACK = ['functions/twin'];

const HASH_FILE = 'twin-source-hash';

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (NOT_IN_STACK.includes(path)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules' && !e.name.startsWith('.'))
    .flatMap((e) => filesUnder(root, join(path, e.name)));
}

/** SHA-256 over the path and content of every source file, in a fixed order. */
export function sourceHash(root: string, sources: readonly string[] = SYNTH_SOURCES): string {
  const hash = createHash('sha256');
  for (const file of sources.flatMap((s) => filesUnder(root, s)).sort()) {
    hash
      .update(relative(root, join(root, file)))
      .update('\0')
      .update(readFileSync(join(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

export interface SynthOptions {
  /** The project root (where cdk.json is). */
  root: string;
  /** Default `<root>/cdk.out`, where `npm run synth` writes. */
  outdir?: string;
  /** Called with what is happening (a synth takes ~40 s on 2 cores). */
  log?: (line: string) => void;
}

export interface SynthResult {
  outdir: string;
  hash: string;
  /** False when cdk.out already held the synthesis of these very sources. */
  synthesized: boolean;
}

const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two test files (vitest forks) or a test and `npm run twin` may ask at once: a directory is created
 * atomically, so only one synthesises while the others wait and then find the hash matching.
 */
async function withLock<T>(lockDir: string, body: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (!holderAlive(lockDir) || Date.now() - t0 > 10 * 60_000) rmSync(lockDir, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function holderAlive(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    return true; // created but the pid not yet written: give it time
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cloud assembly of the current sources: reuses `outdir` when its recorded source hash is the current one,
 * otherwise runs the pinned CDK CLI (offline: no notices, no telemetry) and records the hash.
 */
export async function ensureSynth(options: SynthOptions): Promise<SynthResult> {
  const { root, log = () => {} } = options;
  const outdir = options.outdir ?? join(root, 'cdk.out');
  const hashFile = join(outdir, HASH_FILE);
  const current = () => (existsSync(hashFile) && existsSync(join(outdir, 'manifest.json')) ? readFileSync(hashFile, 'utf8').trim() : undefined);
  const hash = sourceHash(root);
  if (current() === hash) return { outdir, hash, synthesized: false };
  return withLock(`${outdir}.lock`, async () => {
    if (current() === hash) return { outdir, hash, synthesized: false };
    log(`synthesising the stack into ${outdir} (sources changed)`);
    rmSync(hashFile, { force: true });
    await exec(join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--no-notices', '--output', outdir], {
      cwd: root,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    writeFileSync(hashFile, hash);
    return { outdir, hash, synthesized: true };
  });
}
