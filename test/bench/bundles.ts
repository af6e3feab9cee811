/**
 * The minified size of every Lambda bundle, built exactly as `cdk synth` builds them (the app is synthesised
 * with bundling on, into a scratch directory). One line per function, the index.mjs Lambda loads at INIT, held to
 * the limit; for a function with lazy chunks (infra/bundling/lazy-chunks.ts) a second line, the chunks it loads on
 * first use and their size. Exits 1 if any index.mjs is over the limit.
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

  const sizes = (file: string) => ({ bytes: statSync(file).size, gzip: gzipSync(readFileSync(file), { level: 9 }).length });
  const rows = bundles.map(({ module, file, chunks }) => ({ module, ...sizes(file), chunks: chunks.map((c) => ({ name: c.name, ...sizes(c.file) })) }));
  rows.sort((a, b) => b.bytes - a.bytes);
  const kb = (n: number) => (n / 1024).toFixed(1).padStart(6);
  let over = 0;
  for (const r of rows) {
    const flag = r.bytes > TARGET_BUNDLE_BYTES ? '  OVER' : '';
    if (flag) over++;
    console.log(`${kb(r.bytes)} KB  (${kb(r.gzip)} KB gzip)  ${r.module}${flag}`);
    for (const c of r.chunks) console.log(`${kb(c.bytes)} KB  (${kb(c.gzip)} KB gzip)    └ lazy ${c.name}, loaded on first use, not at INIT`);
  }
  const lazy = rows.filter((r) => r.chunks.length).length;
  console.log(`${rows.length} bundles (index.mjs, what INIT loads; ${lazy} with lazy chunks), limit ${TARGET_BUNDLE_BYTES / 1024} KB minified, synthesised in ${seconds} s`);
  if (over > 0) {
    console.error(`${over} bundle(s) over ${TARGET_BUNDLE_BYTES / 1024} KB`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
