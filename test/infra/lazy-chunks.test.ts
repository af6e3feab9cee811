import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkFileOf, LAZY_CHUNKS } from '../../infra/bundling/lazy-chunks.js';
import { CREATE_REQUIRE_BANNER, MAX_BUNDLE_BYTES, TARGET_BUNDLE_BYTES } from '../../infra/bundling/options.js';
import { bundleAsTheStackDoes, type StackBundle } from '../support/stack-bundle.js';
import { SYNTH_TIMEOUT } from './support.js';

// Every function with lazy chunks, bundled as the stack bundles it: INIT loads an index.mjs under the target that
// names each chunk in an `import()` and imports no file of its own statically; each chunk is beside it, ESM by the
// asset's package.json. What the chunks do once loaded: pdf-bundle.test.ts and oid4vci-bundle.test.ts.
const bundles = new Map<string, StackBundle>();

beforeAll(() => {
  for (const module of Object.keys(LAZY_CHUNKS)) bundles.set(module, bundleAsTheStackDoes(module));
}, 3 * SYNTH_TIMEOUT);

afterAll(() => {
  for (const bundle of bundles.values()) bundle.remove();
});

describe.each(Object.entries(LAZY_CHUNKS))('%s, as deployed', (module, chunks) => {
  it(`loads at INIT an index.mjs of at most ${TARGET_BUNDLE_BYTES / 1024} KB, which imports its chunks on first use only`, () => {
    const bundle = bundles.get(module)!;
    const index = bundle.source();
    expect(Buffer.byteLength(index)).toBeLessThanOrEqual(TARGET_BUNDLE_BYTES);
    for (const chunk of chunks) expect(index.includes(`import("${chunk.specifier}")`), chunk.specifier).toBe(true);
    // A static import of a file beside it would be loaded at INIT (a chunk named in a static import of the code too).
    expect(/from\s*"\.\//.test(index)).toBe(false);
    expect(/import\s*"\.\//.test(index)).toBe(false);
  });

  it('ships each chunk beside it, ESM, bundled with the same banner, under the limit of a bundle', () => {
    const { assetDir } = bundles.get(module)!;
    expect(JSON.parse(readFileSync(join(assetDir, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
    for (const chunk of chunks) {
      const file = join(assetDir, chunkFileOf(chunk));
      expect(existsSync(file), file).toBe(true);
      expect(readFileSync(file, 'utf8').startsWith(CREATE_REQUIRE_BANNER)).toBe(true);
      expect(statSync(file).size).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
      expect(existsSync(`${file}.map`)).toBe(true);
    }
  });
});
