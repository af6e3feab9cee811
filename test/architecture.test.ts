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
    for (const file of sources('events')) for (const spec of importsOf(file)) expect(spec, `${file} imports ${spec}`).toMatch(/^(\.\/|zod$|node:crypto$)/);
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
});
