import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ZOD_LEAN_ENTRY } from '../../infra/bundling/options.js';
import { projectRoot } from '../../infra/paths.js';

// The Lambda bundles' `z` (infra/bundling/zod-lean.ts) holds only the members the libraries call on it. Every module
// a deployed function loads that takes `z` from 'zod' (default or named), read as the bundles load it: each
// `<its z>.<member>` must be one the lean `z` has, or the function would fail on it at cold start.
const ZOD_IMPORT = /import\s+(?:([\w$]+)\s*(?:,\s*\{([^}]*)\})?|\{([^}]*)\})\s*from\s*["']zod["']/g;

function zBindings(source: string): string[] {
  const names: string[] = [];
  for (const [, defaultName, namedWithDefault, named] of source.matchAll(ZOD_IMPORT)) {
    if (defaultName) names.push(defaultName);
    for (const specifier of (namedWithDefault ?? named ?? '').split(',')) {
      const [imported, local] = specifier.trim().split(/\s+as\s+/);
      if (imported === 'z') names.push(local ?? imported);
    }
  }
  return names;
}

describe('the lean zod of the Lambda bundles', () => {
  it('has every member the bundled libraries call on z', async () => {
    const { z } = (await import(join(projectRoot, 'infra', 'bundling', 'zod-lean.ts'))) as { z: Record<string, unknown> };
    // Every deployed entry point: a module exporting `handler`, the local-only ones (functions/local/) apart.
    const entries = (readdirSync(join(projectRoot, 'functions'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.startsWith('local/'))
      .map((f) => join(projectRoot, 'functions', f))
      .filter((f) => /^export (const|async function|function) handler\b/m.test(readFileSync(f, 'utf8')));
    expect(entries.length).toBeGreaterThan(60);
    const { metafile } = await build({
      entryPoints: entries,
      absWorkingDir: projectRoot,
      bundle: true,
      write: false,
      outdir: 'out',
      metafile: true,
      format: 'esm',
      platform: 'node',
      external: ['@aws-sdk/*'],
      alias: { zod: ZOD_LEAN_ENTRY },
      logLevel: 'silent',
    });
    const users = Object.entries(metafile.inputs)
      .filter(([, { imports }]) => imports.some((i) => i.original === 'zod'))
      .map(([file]) => file);
    expect(users).toEqual(expect.arrayContaining([expect.stringContaining('@openid4vc/oauth2'), expect.stringContaining('@openid4vc/openid4vci')]));
    const missing: string[] = [];
    let calls = 0;
    for (const file of users) {
      const source = readFileSync(join(projectRoot, file), 'utf8');
      for (const name of zBindings(source)) {
        const escaped = name.replace(/\$/g, '\\$');
        for (const [, member] of source.matchAll(new RegExp(`(?<![\\w$.])${escaped}\\.([A-Za-z_$][\\w$]*)`, 'g'))) {
          calls++;
          if (!(member! in z)) missing.push(`${file}: ${name}.${member}`);
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
    expect([...new Set(missing)]).toEqual([]);
  });
});
