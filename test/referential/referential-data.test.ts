import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadReferentialFiles, ReferentialFile, referentialDir } from '../../referential/referential-file.js';

const files = await loadReferentialFiles();
const byCode = new Map(files.map((f) => [f.registration.rncp, f]));
const get = (code: string): ReferentialFile => {
  const file = byCode.get(code);
  if (!file) throw new Error(`no referential file for ${code}`);
  return file;
};
const covers = (f: ReferentialFile, from: string, until: string) => f.registration.validFrom <= from && until <= f.registration.validUntil;

describe('referential files', () => {
  it('every JSON file of the folder parses with the schema', () => {
    const names = readdirSync(referentialDir).filter((n) => n.endsWith('.json'));
    expect(names.length).toBe(files.length);
    for (const name of names) {
      const result = ReferentialFile.safeParse(JSON.parse(readFileSync(join(referentialDir, name), 'utf8')));
      expect(result.success, `${name}: ${result.error?.message}`).toBe(true);
    }
  });

  it('holds the four certifications of the seeds', () => {
    expect([...byCode.keys()].sort()).toEqual(['RNCP12505', 'RNCP32340', 'RNCP38665', 'SEED004']);
  });

  it('has the blocs of each version', () => {
    expect(get('RNCP38665').registration.blocs.map((b) => b.code)).toEqual(['RNCP38665BC01', 'RNCP38665BC02']);
    expect(get('RNCP32340').registration.blocs.map((b) => b.code)).toEqual(['RNCP32340BC01', 'RNCP32340BC02']);
    expect(get('RNCP12505').registration.blocs.map((b) => b.code)).toEqual(['RNCP12505BC01', 'RNCP12505BC02', 'RNCP12505BC03']);
    expect(get('SEED004').registration.blocs).toHaveLength(3);
    // REAC TP-01276 v04: 2 activités types, 7 compétences professionnelles.
    expect(get('RNCP32340').registration.blocs.flatMap((b) => b.competences)).toHaveLength(7);
  });

  it.each(files.map((f) => [f.registration.rncp, f] as const))('%s: codes are unique and prefixed', (code, f) => {
    const blocs = f.registration.blocs.map((b) => b.code);
    expect(new Set(blocs).size).toBe(blocs.length);
    for (const b of f.registration.blocs) {
      expect(b.code.startsWith(code)).toBe(true);
      for (const c of b.competences) expect(c.code.startsWith(b.code)).toBe(true);
    }
    const competences = f.registration.blocs.flatMap((b) => b.competences.map((c) => c.code));
    expect(new Set(competences).size).toBe(competences.length);
  });

  it.each(files.map((f) => [f.registration.rncp, f] as const))('%s: says where its facts come from', (_code, f) => {
    expect(f.registration.source.length).toBeGreaterThan(0);
    expect(f.registration.assumptions.length).toBeGreaterThan(0);
    if (f.revision) expect(f.revision.assumptions.length).toBeGreaterThan(0);
  });
});

describe('lineage', () => {
  it('links RNCP12505 → RNCP32340 → RNCP38665 both ways', () => {
    expect(get('RNCP12505').revision?.successor).toBe('RNCP32340');
    expect(get('RNCP32340').registration.predecessor).toBe('RNCP12505');
    expect(get('RNCP32340').revision?.successor).toBe('RNCP38665');
    expect(get('RNCP38665').registration.predecessor).toBe('RNCP32340');
    expect(get('RNCP38665').revision).toBeUndefined();
  });

  it('every successor and predecessor link is mutual', () => {
    for (const f of files) {
      if (f.revision) expect(get(f.revision.successor).registration.predecessor).toBe(f.registration.rncp);
      const predecessor = f.registration.predecessor;
      if (predecessor) expect(get(predecessor).revision?.successor).toBe(f.registration.rncp);
    }
  });

  it('every correspondence references blocs of both versions', () => {
    for (const f of files) {
      if (!f.revision) continue;
      const old = new Set(f.registration.blocs.map((b) => b.code));
      const next = new Set(get(f.revision.successor).registration.blocs.map((b) => b.code));
      expect(f.revision.correspondences.length).toBeGreaterThan(0);
      for (const c of f.revision.correspondences) {
        for (const from of c.from) expect(old.has(from), `${from} in ${f.registration.rncp}`).toBe(true);
        expect(next.has(c.to), `${c.to} in ${f.revision.successor}`).toBe(true);
      }
      // A bloc of the successor is reached by at most one rule.
      const targets = f.revision.correspondences.map((c) => c.to);
      expect(new Set(targets).size).toBe(targets.length);
    }
  });

  it('a revision takes effect inside the successor window, after the predecessor closes', () => {
    for (const f of files) {
      if (!f.revision) continue;
      const successor = get(f.revision.successor);
      expect(covers(successor, f.revision.effectiveOn, f.revision.effectiveOn)).toBe(true);
      expect(f.registration.validUntil <= successor.registration.validFrom).toBe(true);
    }
  });

  it('loads predecessors before their successors', () => {
    const order = files.map((f) => f.registration.rncp);
    expect(order.indexOf('RNCP12505')).toBeLessThan(order.indexOf('RNCP32340'));
    expect(order.indexOf('RNCP32340')).toBeLessThan(order.indexOf('RNCP38665'));
  });
});

describe('validity and regimes', () => {
  it('every window is well formed', () => {
    for (const f of files) expect(f.registration.validFrom < f.registration.validUntil).toBe(true);
  });

  it('RNCP38665 is registered until 2029-05-12', () => {
    expect(get('RNCP38665').registration.validUntil).toBe('2029-05-12');
  });

  it('RNCP32340 covers the whole of 2022 (ministry statistics)', () => {
    expect(covers(get('RNCP32340'), '2022-01-01', '2022-12-31')).toBe(true);
  });

  it('RNCP12505 covers 2014 to 2016', () => {
    expect(covers(get('RNCP12505'), '2014-01-01', '2016-12-31')).toBe(true);
  });

  it('has the regimes of the rules', () => {
    // The 2006 regime for CCPs acquired before décret 2016-954 took effect, the 2016 one after (assumption in the file).
    expect(get('RNCP12505').registration.regime).toEqual({ kind: 'fixed-years', years: 5, acquiredBefore: '2016-07-14', laterGraceYears: 1 });
    expect(get('RNCP32340').registration.regime).toEqual({ kind: 'titre-validity', graceYears: 1 });
    expect(get('RNCP38665').registration.regime).toEqual({ kind: 'titre-validity', graceYears: 1 });
    expect(get('SEED004').registration.regime.kind).toBe('titre-validity');
  });

  it('has the jury rules of TP titles and of seed 004', () => {
    for (const code of ['RNCP12505', 'RNCP32340', 'RNCP38665']) {
      expect(get(code).registration.jury).toEqual({ minMembers: 2, minIndependent: 0 });
      expect(get(code).registration.finalInterviewRequired).toBe(true);
      expect(get(code).registration.tpCode).toBe('TP-01276');
    }
    expect(get('SEED004').registration.jury).toEqual({ minMembers: 2, minIndependent: 1 });
  });

  it('has the access routes of the RNCP38665 fiche', () => {
    const { allowed, refused } = get('RNCP38665').registration.accessRoutes;
    expect([...allowed].sort()).toEqual(['apprentissage', 'contrat_professionnalisation', 'formation_continue', 'vae']);
    expect([...refused].sort()).toEqual(['candidature_individuelle', 'eleve_etudiant']);
    for (const f of files) {
      const { allowed: a, refused: r } = f.registration.accessRoutes;
      expect(a.filter((route) => r.includes(route))).toEqual([]);
    }
  });
});

describe('exams', () => {
  it('each total equals the sum of its parts', () => {
    for (const f of files) {
      const exams = [f.registration.titreExam, ...f.registration.blocs.map((b) => b.exam)];
      for (const exam of exams) {
        if (!exam) continue;
        expect(exam.parts.reduce((sum, p) => sum + p.minutes, 0)).toBe(exam.totalMinutes);
      }
    }
  });

  it('has the RNCP38665 durations of the fiche', () => {
    const v = get('RNCP38665').registration;
    expect(v.titreExam?.totalMinutes).toBe(5 * 60 + 5);
    expect(v.titreExam?.parts.find((p) => p.name === 'Entretien final')?.minutes).toBe(20);
    expect(v.blocs.map((b) => b.exam?.totalMinutes)).toEqual([3 * 60 + 15, 3 * 60 + 10]);
    expect(v.blocs.map((b) => b.exam?.parts.map((p) => p.minutes))).toEqual([
      [155, 40],
      [145, 45],
    ]);
  });
});

// The seed documents sit beside the project (../shared/seeds); titles must be copied from them, not paraphrased.
const seedsDir = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
const seedOf: Record<string, string> = {
  RNCP38665: '000_430856f36fb72221.txt',
  RNCP32340: '002_6b363611db222fb2.txt',
  RNCP12505: '001_ab7724b7ba77b54f.txt',
  SEED004: '004_bcfcd91b09a19375.txt',
};
const squash = (s: string) => s.replace(/\s+/g, ' ');

describe.skipIf(!existsSync(seedsDir))('titles copied from the seeds', () => {
  it.each(Object.entries(seedOf))('%s', (code, seed) => {
    const text = squash(readFileSync(join(seedsDir, seed), 'utf8'));
    for (const b of get(code).registration.blocs) {
      expect(text, b.code).toContain(squash(b.title));
      for (const c of b.competences) expect(text, c.code).toContain(squash(c.title));
    }
  });
});

describe('loadReferentialFiles', () => {
  it('names the file that does not parse', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'referential-'));
    try {
      await copyFile(join(referentialDir, 'rncp38665.json'), join(dir, 'rncp38665.json'));
      await writeFile(join(dir, 'broken.json'), JSON.stringify({ registration: { rncp: 'rncp-1' } }));
      await expect(loadReferentialFiles(dir)).rejects.toThrow(/broken\.json/);
      await writeFile(join(dir, 'broken.json'), '{ not json');
      await expect(loadReferentialFiles(dir)).rejects.toThrow(/broken\.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses two files for one code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'referential-'));
    try {
      await copyFile(join(referentialDir, 'rncp38665.json'), join(dir, 'a.json'));
      await copyFile(join(referentialDir, 'rncp38665.json'), join(dir, 'b.json'));
      await expect(loadReferentialFiles(dir)).rejects.toThrow(/RNCP38665/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
