import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureSynth } from '../../functions/twin/synth.js';
import { sourceHash } from '../../infra/source-hash.js';
import { projectRoot, SYNTH_TIMEOUT } from './synthesized.js';

const root = mkdtempSync(join(tmpdir(), 'twin-sources-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};

describe('the cache key of cdk.out', () => {
  write('infra/app.ts', 'app');
  write('functions/health/get-health.ts', 'health');
  write('functions/twin/template.ts', 'twin');
  write('package-lock.json', '{}');
  write('README.md', 'readme');

  it('is stable while the sources are unchanged', () => {
    expect(sourceHash(root)).toBe(sourceHash(root));
  });

  it('changes with the content of a source, the lock file, or a new source file', () => {
    const before = sourceHash(root);
    write('functions/health/get-health.ts', 'health 2');
    const edited = sourceHash(root);
    expect(edited).not.toBe(before);
    write('package-lock.json', '{"v":2}');
    expect(sourceHash(root)).not.toBe(edited);
    const locked = sourceHash(root);
    write('domain/session.ts', 'session');
    expect(sourceHash(root)).not.toBe(locked);
  });

  it('ignores files the stack is not made from: the twin itself, the README', () => {
    const before = sourceHash(root);
    write('functions/twin/template.ts', 'twin 2');
    write('README.md', 'readme 2');
    expect(sourceHash(root)).toBe(before);
  });
});

describe('ensureSynth', () => {
  it(
    'reuses cdk.out when it holds the synthesis of the current sources',
    async () => {
      const first = await ensureSynth({ root: projectRoot });
      const second = await ensureSynth({ root: projectRoot });
      expect(second).toEqual({ outdir: first.outdir, hash: first.hash, synthesized: false });
      expect(first.hash).toBe(sourceHash(projectRoot));
    },
    SYNTH_TIMEOUT,
  );
});
