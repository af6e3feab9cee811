import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StackModel } from '../../functions/twin/template.js';
import { projectRoot, SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';

/**
 * @cloud-copilot/iam-simulate is AGPL: a devDependency the twin uses, never part of what a Lambda runs. And
 * the twin is generic: it learns the stack from cdk.out, never from the project's own modules.
 */
const sources = (dir: string): string[] =>
  readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'node_modules' ? [] : sources(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
const importsOf = (file: string) =>
  [...readFileSync(join(projectRoot, file), 'utf8').matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]!);
const dynamicImportsOf = (file: string) => [...readFileSync(join(projectRoot, file), 'utf8').matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
/** The token command mints for a twin's data dir: the one place outside the twin that loads it, on demand only. */
const TOKEN_COMMAND = 'functions/local/token.ts';
/** Every module of functions/twin that `file` reaches through its own relative imports. */
const closureOf = (file: string, seen = new Set<string>()): Set<string> => {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const spec of importsOf(file).filter((s) => s.startsWith('./'))) closureOf(join('functions/twin', spec.replace(/\.js$/, '.ts')), seen);
  return seen;
};

let stack: StackModel;
beforeAll(async () => {
  stack = await synthesizedStack();
}, SYNTH_TIMEOUT);

describe('the twin stays apart', () => {
  it('is imported by nothing outside functions/twin but its tests', () => {
    for (const dir of ['domain', 'events', 'functions', 'infra', 'referential', 'web']) {
      for (const file of sources(dir).filter((f) => !f.startsWith('functions/twin/'))) {
        const allowed = file === TOKEN_COMMAND ? dynamicImportsOf(file) : [];
        for (const spec of importsOf(file).filter((s) => !allowed.includes(s))) expect(spec, `${file} imports ${spec}`).not.toMatch(/(^|\/)twin\//);
      }
    }
  });

  it('is loaded by the token command only on demand, and that part of it never reaches iam-simulate', () => {
    // running.js: whether a recorded twin is really there; token.js: the twin's token, for a twin's data dir only.
    expect(dynamicImportsOf(TOKEN_COMMAND)).toEqual(['../twin/running.js', '../twin/token.js']);
    expect([...closureOf('functions/twin/running.ts')]).toEqual(['functions/twin/running.ts']);
    const reached = closureOf('functions/twin/token.ts');
    expect(reached.has('functions/twin/local-cognito.ts')).toBe(true);
    expect(reached.has('functions/twin/running.ts')).toBe(true);
    for (const file of reached) for (const spec of importsOf(file)) expect(spec, `${file} imports ${spec}`).not.toMatch(/iam-simulate/);
  });

  it("imports nothing of the project's own code: only its own modules, packages, the stand-ins' signature guard and the synth's source hash", () => {
    // The guard that puts dynalite and s3rver behind SigV4 and the check that a local control's caller is the user
    // running it (issue 17) are plumbing shared with npm start, not the ledger's code; so is the hash of the sources
    // the CDK app records beside its assembly (the twin compares it to reuse cdk.out). They may be imported as long
    // as they import only node and packages themselves.
    const shared = {
      '../local/stand-in-guard.js': 'functions/local/stand-in-guard.ts',
      '../local/peer-user.js': 'functions/local/peer-user.ts',
      '../../infra/source-hash.js': 'infra/source-hash.ts',
    };
    for (const file of sources('functions/twin'))
      for (const spec of importsOf(file).filter((s) => !(s in shared))) expect(spec, `${file} imports ${spec}`).toMatch(/^(\.\/[a-z0-9-]+\.js|node:.+|[@a-z].*)$/);
    for (const file of Object.values(shared)) for (const spec of importsOf(file)) expect(spec, `${file} imports ${spec}`).toMatch(/^(node:.+|[@a-z].*)$/);
  });

  it('leaves iam-simulate out of every bundle of cdk.out', () => {
    const assets = stack.functions.filter((f) => f.assetDir && f.runtime.startsWith('nodejs'));
    expect(assets.length).toBeGreaterThan(0);
    for (const f of assets) {
      for (const name of readdirSync(f.assetDir!).filter((n) => /\.(m|c)?js$/.test(n))) {
        expect(readFileSync(join(f.assetDir!, name), 'utf8'), `${f.logicalId}/${name}`).not.toMatch(/cloud-copilot|iam-simulate/);
      }
    }
  });
});
