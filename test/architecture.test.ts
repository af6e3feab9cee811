import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const importsOf = (file: string) => [...readFileSync(join(root, file), 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);

describe('the shape of the code (DESIGN.md section 3)', () => {
  it('domain/ is pure: no functions/, infra/, AWS SDK, node I/O or clock imports', () => {
    for (const file of sources('domain')) {
      for (const spec of importsOf(file)) {
        expect(spec, `${file} imports ${spec}`).toMatch(/^(\.\/|\.\.\/events\/|zod$)/);
      }
      expect(readFileSync(join(root, file), 'utf8'), `${file} reads the clock`).not.toMatch(/new Date\(\)|Date\.now\(\)|Math\.random\(\)/);
    }
  });

  it('events/ depends on nothing but zod and node:crypto', () => {
    for (const file of sources('events')) {
      for (const spec of importsOf(file)) expect(spec, `${file} imports ${spec}`).toMatch(/^(\.\/|zod(\/mini|\/locales|\/v4\/core)?$|node:crypto$)/);
    }
  });

  it('no module a Lambda bundle loads imports classic zod (zod/mini through events/zod.ts instead)', async () => {
    // Classic zod sets every method on every schema, so esbuild cannot drop any: about 178 KB in each bundle whatever
    // it uses (issue 15, bundles ≤ 150 KB). The bundles' own import graph, as esbuild follows it (type-only imports
    // are erased, as in the bundles), from every deployed entry point: a module exporting `handler`, the local-only
    // ones (functions/local/) apart.
    const entries = sources('functions').filter(
      (f) => !f.startsWith('functions/local/') && /^export (const|async function|function) handler\b/m.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(entries).toContain('functions/health/get-health.ts');
    expect(entries).toContain('functions/projections/project-change-feed.ts');
    const { metafile } = await build({
      entryPoints: entries.map((f) => join(root, f)),
      absWorkingDir: root,
      bundle: true,
      write: false,
      outdir: 'out',
      metafile: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      logLevel: 'silent',
    });
    const modules = Object.entries(metafile.inputs);
    expect(modules.length).toBeGreaterThan(100);
    const classic = modules.flatMap(([file, { imports }]) =>
      imports
        .map((i) => i.original ?? i.path)
        .filter((spec) => /^zod($|\/v4$|\/v4\/classic|\/v3)/.test(spec))
        .map((spec) => `${file} imports '${spec}'`),
    );
    expect(classic).toEqual([]);
  });

  it('file names are kebab-case', () => {
    for (const dir of ['domain', 'events', 'functions', 'infra', 'test']) {
      for (const file of sources(dir)) expect(file.split('/').at(-1), file).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)*\.ts$/);
    }
  });

  it('adapters are constructed only by the one composition (functions/composition/)', () => {
    const adapterClasses = [
      ...sources('functions/adapters').flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/^export class (\w+)/gm)].map((m) => m[1]!)),
      'LocalWorkflows',
      'DynamoExecutionJournal',
      'LocalChangeFeed',
    ];
    expect(adapterClasses).toContain('DynamoEventStore');
    const construction = new RegExp(`new (${adapterClasses.join('|')})\\(`);
    // Everything that runs the ledger: the handlers, the local runtime, the stack, the pages, the test harness and the
    // end-to-end tests. (Tests of an adapter itself — test/contract, test/adapters — construct the adapter they test.)
    const checked = ['functions', 'infra', 'web', 'test/support', 'test/e2e']
      .flatMap(sources)
      .filter((f) => !f.startsWith('functions/composition/') && !f.startsWith('functions/adapters/'));
    expect(checked.length).toBeGreaterThan(100);
    for (const file of checked) expect(readFileSync(join(root, file), 'utf8'), `${file} constructs an adapter`).not.toMatch(construction);
  });

  it('the ledger’s DynamoDB clients are made by dynamoClient only (no SDK logger middleware on any of them)', () => {
    const made = ['functions', 'infra', 'web'].flatMap(sources).filter((f) => f !== 'functions/adapters/dynamodb-client.ts' && !f.startsWith('functions/twin/'));
    for (const file of made) expect(readFileSync(join(root, file), 'utf8'), `${file} makes a DynamoDB client`).not.toMatch(/new DynamoDBClient\(/);
  });
});
