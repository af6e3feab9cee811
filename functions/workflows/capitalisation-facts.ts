import { addDays } from '../../domain/dates.js';
import { livret, type ReferentialEntry } from '../../domain/livret.js';
import { CATALOGUE_PARTITION, type CatalogueEntry } from '../projections/certification-catalogue.js';
import { readDoc } from '../projections/projection.js';
import { candidateRecord, type CandidateRecordDoc } from '../projections/candidate-record.js';
import type { LedgerDeps } from '../shared/deps.js';

/** The referential as the livret reads it, from the catalogue read model. */
export async function referentialOf(deps: LedgerDeps): Promise<Map<string, ReferentialEntry>> {
  const docs = await deps.readModels.query<CatalogueEntry>(CATALOGUE_PARTITION);
  return new Map(docs.map(({ doc }) => [doc.version.rncp, { version: doc.version, ...(doc.revision ? { revision: doc.revision } : {}) }]));
}

export async function recordOfAt(deps: LedgerDeps, candidateId: string) {
  return readDoc<CandidateRecordDoc>(deps.readModels, candidateRecord, candidateId);
}

export async function recordOf(deps: LedgerDeps, candidateId: string): Promise<CandidateRecordDoc | undefined> {
  return (await recordOfAt(deps, candidateId))?.doc;
}

export const REMINDER_DAYS = 90;

/**
 * The timers a candidate's livret calls for: for each bloc acquired directly and counting toward a titre not
 * yet obtained, a reminder 90 days before its usableUntil and a check the day after. A bloc whose usableUntil is
 * already past when it is recorded (an équivalence or a CCP dated years ago) still gets its check, already due, so
 * that its lapse is recorded and told at once; a reminder of a date already past would tell nothing, so none.
 */
export function usabilityTimers(record: CandidateRecordDoc, referential: Map<string, ReferentialEntry>, today: string) {
  const timers: { kind: 'remind' | 'check'; rncp: string; bloc: string; usableUntil: string; at: string }[] = [];
  const direct = new Set(record.events.filter((e) => e.type === 'CcpAcquired').map((e) => `${e.data.rncp}|${e.data.bloc}`));
  for (const line of livret(record.events, referential, today)) {
    if (line.titre) continue;
    for (const bloc of line.blocs) {
      if (!bloc.acquired || bloc.lapsed || !bloc.usableUntil || !direct.has(`${line.rncp}|${bloc.code}`)) continue;
      if (bloc.usable) {
        timers.push({ kind: 'remind', rncp: line.rncp, bloc: bloc.code, usableUntil: bloc.usableUntil, at: `${addDays(bloc.usableUntil, -REMINDER_DAYS)}T08:00:00.000Z` });
      }
      timers.push({ kind: 'check', rncp: line.rncp, bloc: bloc.code, usableUntil: bloc.usableUntil, at: `${addDays(bloc.usableUntil, 1)}T00:00:00.000Z` });
    }
  }
  return timers;
}
