import { loadReferentialFiles } from '../../referential/referential-file.js';
import type { ReferentialEntry } from '../../domain/livret.js';

/** The referential as the livret sees it: every version with its revision, from the real data files. */
export async function referentialMap(): Promise<Map<string, ReferentialEntry>> {
  const files = await loadReferentialFiles();
  return new Map(
    files.map((f) => [
      f.registration.rncp,
      {
        version: f.registration,
        ...(f.revision ? { revision: { successor: f.revision.successor, effectiveOn: f.revision.effectiveOn, correspondences: f.revision.correspondences } } : {}),
      },
    ]),
  );
}
