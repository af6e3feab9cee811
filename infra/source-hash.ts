import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the stack is made from: a change in any of these may change the template or a bundle. */
export const SYNTH_SOURCES = ['infra', 'functions', 'events', 'domain', 'referential', 'web', 'package-lock.json', 'cdk.json', 'tsconfig.json'] as const;

/**
 * Left out of the hash: the twin itself is no part of the stack (no bundle may import it, it is AGPL-adjacent
 * through iam-simulate), so editing it must not cost a 40 s synth.
 */
const NOT_IN_STACK = ['functions/twin'];

/** Beside the cloud assembly: the hash of the sources it was synthesised from (the twin reuses it while they match). */
export const SOURCE_HASH_FILE = 'twin-source-hash';

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

/** Records, in a cloud assembly, the hash of the sources as they were when its synthesis began. */
export function recordSourceHash(outdir: string, hash: string): void {
  writeFileSync(join(outdir, SOURCE_HASH_FILE), hash);
}
