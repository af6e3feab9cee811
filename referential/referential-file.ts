import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from '../events/zod.js';
import { CertificationVersion, Correspondence } from '../events/certification.js';
import { IsoDate, RncpCode } from '../events/define-event.js';

/**
 * One file of the referential: a certification version as registered, and, in the predecessor's file, its
 * revision into the next version with the correspondences old bloc → new bloc.
 */
export const ReferentialFile = z.object({
  registration: CertificationVersion,
  revision: z.optional(
    z.object({
      successor: RncpCode,
      effectiveOn: IsoDate,
      correspondences: z.array(Correspondence),
      assumptions: z._default(z.array(z.string()), []),
    }),
  ),
  /** The version closed without successor (art. 3 3°): its last day of registration. */
  closure: z.optional(z.object({ closedOn: IsoDate, assumptions: z._default(z.array(z.string()), []) })),
  /** Prorogations as they are (art. 3 1°), in order. */
  prorogations: z._default(z.array(z.object({ validUntil: IsoDate, decidedOn: IsoDate, assumptions: z._default(z.array(z.string()), []) })), []),
});
export type ReferentialFile = z.output<typeof ReferentialFile>;

/** The folder of this module, where the referential's JSON files live. */
export const referentialDir = fileURLToPath(new URL('.', import.meta.url));

export class ReferentialFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`referential file ${file}: ${detail}`);
    this.name = 'ReferentialFileError';
  }
}

/**
 * Reads and validates every `*.json` file of `dir`. Predecessors come before their successors (so registering
 * in this order always finds the successor's predecessor registered), otherwise by validFrom then code.
 */
export async function loadReferentialFiles(dir: string = referentialDir): Promise<ReferentialFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const files = await Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new ReferentialFileError(path, `not valid JSON (${(error as Error).message})`);
      }
      const parsed = ReferentialFile.safeParse(raw);
      if (!parsed.success) throw new ReferentialFileError(path, z.prettifyError(parsed.error));
      return { path, file: parsed.data };
    }),
  );

  const byCode = new Map<string, { path: string; file: ReferentialFile }>();
  for (const entry of files) {
    const code = entry.file.registration.rncp;
    const other = byCode.get(code);
    if (other) throw new ReferentialFileError(entry.path, `${code} is also registered by ${other.path}`);
    byCode.set(code, entry);
  }
  return lineageOrder(files);
}

/** Topological order over predecessor → successor links, stable by (validFrom, code). */
function lineageOrder(entries: { path: string; file: ReferentialFile }[]): ReferentialFile[] {
  const codes = new Set(entries.map((e) => e.file.registration.rncp));
  const after = new Map<string, Set<string>>(); // code → codes that must come after it
  const pending = new Map<string, number>(); // code → number of its predecessors not yet emitted
  for (const code of codes) {
    after.set(code, new Set());
    pending.set(code, 0);
  }
  const link = (before: string, later: string) => {
    if (!codes.has(before) || !codes.has(later) || after.get(before)!.has(later)) return;
    after.get(before)!.add(later);
    pending.set(later, pending.get(later)! + 1);
  };
  for (const { file } of entries) {
    if (file.registration.predecessor) link(file.registration.predecessor, file.registration.rncp);
    if (file.revision) link(file.registration.rncp, file.revision.successor);
  }

  const rank = (e: { file: ReferentialFile }) => `${e.file.registration.validFrom} ${e.file.registration.rncp}`;
  const remaining = [...entries].sort((a, b) => rank(a).localeCompare(rank(b)));
  const ordered: ReferentialFile[] = [];
  while (remaining.length) {
    const next = remaining.findIndex((e) => pending.get(e.file.registration.rncp) === 0);
    if (next < 0) {
      const cycle = remaining.map((e) => e.file.registration.rncp).join(', ');
      throw new ReferentialFileError(remaining[0]!.path, `predecessor/successor links form a cycle among ${cycle}`);
    }
    const [entry] = remaining.splice(next, 1);
    ordered.push(entry!.file);
    for (const later of after.get(entry!.file.registration.rncp)!) pending.set(later, pending.get(later)! - 1);
  }
  return ordered;
}
