import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProblemCode, PROBLEM_SENTENCES } from '../../domain/problem-codes.js';
import { describeProblem } from '../../web/src/lib/problems.js';

const root = join(import.meta.dirname, '..', '..');
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/** Every code a refusal is built with in the code: the helpers of domain/errors.ts and problem(status, code, …). */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const call = /\b(?:refuse|notFound|conflict|forbidden|new DomainError)\(\s*['`]([a-z0-9-]+)(\$\{[^}]*\})?['`]|\bproblem\(\s*\d{3},\s*['`]([a-z0-9-]+)['`]/g;
  for (const file of [...sources('domain'), ...sources('functions')]) {
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(call)) {
      const code = m[1] ?? m[3]!;
      // A code built with a suffix (`jury-too-small${suffix}`) is checked by its stem; the compiler checks the rest.
      found.set(code, file);
    }
  }
  return found;
}

describe('every problem code has its French sentence (one list, domain/problem-codes.ts)', () => {
  it('finds the codes of the sources, and each is in the list', () => {
    const found = codesInSources();
    expect(found.size).toBeGreaterThan(80);
    const missing = [...found].filter(([code]) => !isProblemCode(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('each sentence is French prose for a person: a full sentence, no code, no English', () => {
    for (const [code, sentence] of Object.entries(PROBLEM_SENTENCES)) {
      expect(sentence.length, code).toBeGreaterThan(15);
      expect(sentence, code).toMatch(/[.:]$/);
      expect(sentence, code).not.toContain(code);
      expect(sentence, code).not.toMatch(/\b(the|is|not|this)\b/);
    }
  });

  it('the pages say each code with its sentence, never the fallback of its status', () => {
    for (const [code, sentence] of Object.entries(PROBLEM_SENTENCES)) {
      expect(describeProblem({ type: `/problems/${code}`, title: '', status: 422, detail: '' })).toBe(sentence);
    }
    expect(describeProblem({ type: '/problems/some-code-nobody-gives', title: '', status: 422, detail: '' })).toBe('Une règle de la certification refuse cette action.');
  });
});
