/**
 * The minified size of every Lambda bundle, built exactly as `cdk synth` builds them (the app is synthesised
 * with bundling on, into a scratch directory). One line per function; exits 1 if any is over the limit.
 *
 *   npx tsx test/bench/bundles.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { TARGET_BUNDLE_BYTES } from '../../infra/bundling/options.js';
import { buildLambdaBundles } from './lambda-bundles.js';

const outdir = mkdtempSync(join(tmpdir(), 'ledger-bundles-'));
try {
  const started = performance.now();
  const bundles = buildLambdaBundles(outdir);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const rows = bundles.map(({ module, file }) => ({ module, bytes: statSync(file).size, gzip: gzipSync(readFileSync(file), { level: 9 }).length }));
  rows.sort((a, b) => b.bytes - a.bytes);
  const kb = (n: number) => (n / 1024).toFixed(1).padStart(6);
  let over = 0;
  for (const r of rows) {
    const flag = r.bytes > TARGET_BUNDLE_BYTES ? '  OVER' : '';
    if (flag) over++;
    console.log(`${kb(r.bytes)} KB  (${kb(r.gzip)} KB gzip)  ${r.module}${flag}`);
  }
  console.log(`${rows.length} bundles, limit ${TARGET_BUNDLE_BYTES / 1024} KB minified, synthesised in ${seconds} s`);
  if (over > 0) {
    console.error(`${over} bundle(s) over ${TARGET_BUNDLE_BYTES / 1024} KB`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
