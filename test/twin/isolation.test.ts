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
const importsOf = (file: string) => [...readFileSync(join(projectRoot, file), 'utf8').matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]!);

let stack: StackModel;
beforeAll(async () => {
  stack = await synthesizedStack();
}, SYNTH_TIMEOUT);

describe('the twin stays apart', () => {
  it('is imported by nothing outside functions/twin but its tests', () => {
    for (const dir of ['domain', 'events', 'functions', 'infra', 'referential', 'web']) {
      for (const file of sources(dir).filter((f) => !f.startsWith('functions/twin/'))) {
        for (const spec of importsOf(file)) expect(spec, `${file} imports ${spec}`).not.toMatch(/(^|\/)twin\//);
      }
    }
  });

  it("imports nothing of the project's own code: only its own modules and packages", () => {
    for (const file of sources('functions/twin')) for (const spec of importsOf(file)) expect(spec, `${file} imports ${spec}`).toMatch(/^(\.\/[a-z0-9-]+\.js|node:.+|[@a-z].*)$/);
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
