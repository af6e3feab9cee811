import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_HASH_FILE, sourceHash } from '../../infra/source-hash.js';
import { promisify } from 'node:util';

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
  const hashFile = join(outdir, SOURCE_HASH_FILE);
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
    // The app records what it was synthesised from (infra/app.ts), as it does for `npm run synth`.
    const recorded = current();
    if (!recorded) throw new Error(`cdk synth wrote no ${SOURCE_HASH_FILE} into ${outdir}: infra/app.ts records it`);
    return { outdir, hash: recorded, synthesized: true };
  });
}
