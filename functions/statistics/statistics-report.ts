import { CATALOGUE_PARTITION, type CatalogueEntry } from '../projections/certification-catalogue.js';
import { readDoc } from '../projections/projection.js';
import { addTallies, ROLLUP_KEY, statisticsPartition, statisticsYearsPartition, type StatisticsRollup, type Tally } from '../projections/statistics-rollups.js';
import { candidateFacts, centreFacts, sessionFacts, type CandidateFacts, type CentreFacts, type SessionFacts } from '../projections/statistics-facts.js';
import type { ReadModelStore } from '../ports/read-model-store.js';

/**
 * The yearly statistics of a certification lineage. `computeStatistics` is the definition, over the fact
 * documents of functions/projections/statistics-facts.ts; requests read the per-(version, year) rollups that
 * functions/projections/statistics-rollups.ts keeps with that same function, one candidate at a time.
 *
 * Definitions (per row: a certification version with its predecessors, and a year):
 * - year of obtention: the year of the session's PV validation (TitreIssued.issuedOn and CcpAcquired.acquiredOn
 *   are that date), so a session whose PV is still open counts in no year;
 * - enrolled: distinct candidates enrolled in those sessions; present: those whose final decision stands
 *   (not annulled) and is not `absent`;
 * - certified: distinct candidates issued a titre of the lineage that year (not annulled); via VAE: enrolled
 *   through the `vae` route in the session that issued it;
 * - ccpIssued: CCP certificates, i.e. blocs acquired in a session that did not give that candidate the titre
 *   (a titre holder gets the titre, not one certificate per bloc); equivalences are not issued by a jury;
 * - successRate = certified / present;
 * - insertion rates, over the row's certified candidates who answered about that titre (latest answer per
 *   horizon), neutralised answers excluded from the denominator: 6 months global = employed (target job or
 *   other) / (answers − neutralised); 6 months target job = employed_target_job / (answers − neutralised);
 *   2 years target job likewise at 24 months;
 * - rates are whole percentages rounded half up (exact integer arithmetic: 62.5 → 63, 62.49 → 62), null when
 *   the denominator is 0.
 * Breakdowns by access route, centre and region use the route and centre of the session concerned.
 *
 * Position: the sum of the positions of the items the answer is read from (the rollups of the lineage's versions
 * for the year, and the catalogue's documents). A rollup's position is the sum of its facts', each the sum of the
 * stream versions of the events it reflects: it only grows, and a rebuild gives the same position and rows.
 */

export interface Breakdown {
  enrolled: number;
  present: number;
  certified: number;
  certifiedViaVae: number;
  ccpIssued: number;
  successRate: number | null;
}

export interface SurveyTally {
  /** Certified candidates of the row who answered at this horizon (neutralised included). */
  respondents: number;
  neutralised: number;
  employedTargetJob: number;
  employedOther: number;
  unemployed: number;
}

export interface StatisticsRow extends Breakdown {
  year: number;
  rncp: string;
  /** The version asked for, then its predecessors, nearest first. */
  lineage: string[];
  insertion6mGlobal: number | null;
  insertion6mTargetJob: number | null;
  insertion24mTargetJob: number | null;
  surveys: { '6m': SurveyTally; '24m': SurveyTally };
  byRoute: Record<string, Breakdown>;
  byCentre: Record<string, Breakdown & { name: string | null; region: string | null }>;
  byRegion: Record<string, Breakdown>;
}

export interface StatisticsAnswer {
  position: number;
  rows: StatisticsRow[];
}

export interface StatisticsFacts {
  sessions: SessionFacts[];
  candidates: CandidateFacts[];
  centres: CentreFacts[];
  catalogue: CatalogueEntry[];
}

export interface StatisticsQuery {
  rncp?: string;
  year?: number;
}

/** `num / den` as a whole percentage rounded half up, in integers (no float error); null without a denominator. */
export function percent(num: number, den: number): number | null {
  if (den <= 0) return null;
  return Math.floor((200 * num + den) / (2 * den));
}

/** The version and its predecessors (its declared predecessor and any version revised into it), nearest first. */
export function lineageOf(rncp: string, catalogue: readonly CatalogueEntry[]): string[] {
  const predecessors = new Map<string, string[]>();
  const add = (to: string, from: string) => predecessors.set(to, [...(predecessors.get(to) ?? []), from]);
  for (const entry of catalogue) {
    if (entry.version.predecessor) add(entry.version.rncp, entry.version.predecessor);
    if (entry.successor) add(entry.successor, entry.version.rncp);
  }
  const lineage: string[] = [];
  const queue = [rncp];
  while (queue.length) {
    const next = queue.shift()!;
    if (lineage.includes(next)) continue;
    lineage.push(next);
    queue.push(...[...new Set(predecessors.get(next) ?? [])].sort());
  }
  return lineage;
}

/** The versions nobody was revised into: one per lineage, what a query without `rncp` reports on. */
export function lineageHeads(catalogue: readonly CatalogueEntry[]): string[] {
  const known = new Set(catalogue.map((e) => e.version.rncp));
  return catalogue
    .filter((e) => !e.successor || !known.has(e.successor))
    .map((e) => e.version.rncp)
    .sort();
}

class Cell {
  readonly enrolled = new Set<string>();
  readonly present = new Set<string>();
  readonly certified = new Set<string>();
  readonly viaVae = new Set<string>();
  ccpIssued = 0;

  breakdown(): Breakdown {
    return {
      enrolled: this.enrolled.size,
      present: this.present.size,
      certified: this.certified.size,
      certifiedViaVae: this.viaVae.size,
      ccpIssued: this.ccpIssued,
      successRate: percent(this.certified.size, this.present.size),
    };
  }
}

const emptyTally = (): SurveyTally => ({ respondents: 0, neutralised: 0, employedTargetJob: 0, employedOther: 0, unemployed: 0 });

class RowAccumulator {
  readonly total = new Cell();
  readonly byRoute = new Map<string, Cell>();
  readonly byCentre = new Map<string, Cell>();
  readonly byRegion = new Map<string, Cell>();
  readonly surveys = { '6m': emptyTally(), '24m': emptyTally() };

  constructor(
    readonly rncp: string,
    readonly year: number,
    readonly lineage: string[],
  ) {}

  /** The cells a fact of this route, centre and region counts in. */
  cells(route: string, centreId: string, region: string): Cell[] {
    const at = (map: Map<string, Cell>, key: string) => {
      let cell = map.get(key);
      if (!cell) map.set(key, (cell = new Cell()));
      return cell;
    };
    return [this.total, at(this.byRoute, route), at(this.byCentre, centreId), at(this.byRegion, region)];
  }

  row(centres: ReadonlyMap<string, CentreFacts>): StatisticsRow {
    const sorted = <T>(map: Map<string, Cell>, extra: (key: string) => T) =>
      Object.fromEntries([...map.keys()].sort().map((key) => [key, { ...map.get(key)!.breakdown(), ...extra(key) }]));
    const s6 = this.surveys['6m'];
    const s24 = this.surveys['24m'];
    const den6 = s6.respondents - s6.neutralised;
    const den24 = s24.respondents - s24.neutralised;
    return {
      year: this.year,
      rncp: this.rncp,
      lineage: this.lineage,
      ...this.total.breakdown(),
      insertion6mGlobal: percent(s6.employedTargetJob + s6.employedOther, den6),
      insertion6mTargetJob: percent(s6.employedTargetJob, den6),
      insertion24mTargetJob: percent(s24.employedTargetJob, den24),
      surveys: { '6m': { ...s6 }, '24m': { ...s24 } },
      byRoute: sorted(this.byRoute, () => ({})),
      byCentre: sorted(this.byCentre, (id) => ({ name: centres.get(id)?.name ?? null, region: centres.get(id)?.region ?? null })),
      byRegion: sorted(this.byRegion, () => ({})),
    };
  }
}

const UNKNOWN = 'unknown';
const yearOf = (date: string) => Number(date.slice(0, 4));

/** The rows asked for, from the facts. Pure: the same facts always give the same rows. */
export function computeStatistics(facts: StatisticsFacts, query: StatisticsQuery = {}): StatisticsRow[] {
  const heads = query.rncp ? [query.rncp] : lineageHeads(facts.catalogue);
  const lineages = new Map(heads.map((head) => [head, lineageOf(head, facts.catalogue)]));
  // Which rows (heads) a fact of a given version counts in.
  const headsOf = new Map<string, string[]>();
  for (const [head, lineage] of lineages) for (const rncp of lineage) headsOf.set(rncp, [...(headsOf.get(rncp) ?? []), head]);

  const rows = new Map<string, RowAccumulator>();
  const rowFor = (head: string, year: number) => {
    if (query.year !== undefined && year !== query.year) return undefined;
    const key = `${head}|${year}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = new RowAccumulator(head, year, lineages.get(head)!)));
    return row;
  };
  // A year asked for has a row per lineage, zeros included.
  if (query.year !== undefined) for (const head of heads) rowFor(head, query.year);
  const rowsOf = (rncp: string, date: string) => {
    const found: RowAccumulator[] = [];
    for (const head of headsOf.get(rncp) ?? []) {
      const row = rowFor(head, yearOf(date));
      if (row) found.push(row);
    }
    return found;
  };

  const centres = new Map(facts.centres.map((c) => [c.centreId, c]));
  const regionOf = (centreId: string) => centres.get(centreId)?.region ?? UNKNOWN;
  const sessions = new Map(facts.sessions.map((s) => [s.sessionId, s]));

  for (const session of facts.sessions) {
    if (!session.validatedOn) continue;
    const targets = rowsOf(session.rncp, session.validatedOn);
    if (!targets.length) continue;
    const region = regionOf(session.centreId);
    for (const candidateId in session.candidates) {
      const { route, outcome, annulled } = session.candidates[candidateId]!;
      const present = outcome !== null && outcome !== 'absent' && !annulled;
      for (const row of targets) {
        for (const cell of row.cells(route, session.centreId, region)) {
          cell.enrolled.add(candidateId);
          if (present) cell.present.add(candidateId);
        }
      }
    }
  }

  for (const candidate of facts.candidates) {
    const { candidateId } = candidate;
    // The session's route and centre, for a candidate it enrolled (none otherwise: nothing ties them).
    const whereFrom = (sessionId: string | null) => {
      const session = sessionId === null ? undefined : sessions.get(sessionId);
      const entry = session?.candidates[candidateId];
      if (!session || !entry) return { route: UNKNOWN, centreId: UNKNOWN, region: UNKNOWN };
      return { route: entry.route, centreId: session.centreId, region: regionOf(session.centreId) };
    };
    // The titres each row counts, for the survey answers about them.
    let counted: Map<RowAccumulator, Set<number>> | undefined;
    candidate.titres.forEach((titre, index) => {
      if (titre.annulled) return;
      const { route, centreId, region } = whereFrom(titre.sessionId);
      for (const row of rowsOf(titre.rncp, titre.issuedOn)) {
        for (const cell of row.cells(route, centreId, region)) {
          cell.certified.add(candidateId);
          if (route === 'vae') cell.viaVae.add(candidateId);
        }
        counted ??= new Map();
        counted.set(row, (counted.get(row) ?? new Set()).add(index));
      }
    });
    if (candidate.ccps.length) {
      const titreSessions = new Set(candidate.titres.map((t) => t.sessionId));
      for (const ccp of candidate.ccps) {
        if (ccp.annulled || ccp.sessionId === null || titreSessions.has(ccp.sessionId)) continue;
        const { route, centreId, region } = whereFrom(ccp.sessionId);
        for (const row of rowsOf(ccp.rncp, ccp.acquiredOn)) for (const cell of row.cells(route, centreId, region)) cell.ccpIssued++;
      }
    }
    if (!counted || !candidate.surveys.length) continue;
    for (const [row, titres] of counted) {
      for (const horizon of ['6m', '24m'] as const) {
        let answer: CandidateFacts['surveys'][number] | undefined;
        for (const s of candidate.surveys) if (s.horizon === horizon && s.titre !== null && titres.has(s.titre)) answer = s;
        if (!answer) continue;
        const tally = row.surveys[horizon];
        tally.respondents++;
        if (answer.situation === 'neutralised') tally.neutralised++;
        else if (answer.situation === 'employed_target_job') tally.employedTargetJob++;
        else if (answer.situation === 'employed_other') tally.employedOther++;
        else tally.unemployed++;
      }
    }
  }

  return [...rows.values()].sort((a, b) => (a.rncp === b.rncp ? a.year - b.year : a.rncp < b.rncp ? -1 : 1)).map((row) => row.row(centres));
}

/**
 * The whole ledger's fact documents, from a store that can list them all (the in-memory one's `dump`): the
 * reference the rollups are checked against (tests, benches). No request reads this way.
 */
export function readStatisticsFacts(readModels: { dump(): Record<string, { doc: unknown; position: number }[]> }): { facts: StatisticsFacts; position: number } {
  const all = readModels.dump();
  let position = 0;
  const docs = <T>(model: string) => {
    const out: T[] = [];
    for (const [partition, items] of Object.entries(all)) {
      if (!partition.startsWith(`${model}#`)) continue;
      for (const d of items) {
        position += d.position;
        if (d.doc) out.push(d.doc as T);
      }
    }
    return out;
  };
  const facts = {
    sessions: docs<SessionFacts>(sessionFacts.model),
    candidates: docs<CandidateFacts>(candidateFacts.model),
    centres: docs<CentreFacts>(centreFacts.model),
    catalogue: (all[CATALOGUE_PARTITION] ?? []).map((d) => d.doc as CatalogueEntry),
  };
  return { facts, position };
}

const cellOf = (tally: Tally, prefix: string): Breakdown => {
  const n = (f: string) => tally[`${prefix}${f}`] ?? 0;
  return {
    enrolled: n('enrolled'),
    present: n('present'),
    certified: n('certified'),
    certifiedViaVae: n('certifiedViaVae'),
    ccpIssued: n('ccpIssued'),
    successRate: percent(n('certified'), n('present')),
  };
};

/** The names after `<kind>:` in a tally (`route:vae:certified` → `vae`), sorted. */
const namesOf = (tally: Tally, kind: string) =>
  [...new Set(Object.keys(tally).flatMap((k) => (k.startsWith(`${kind}:`) ? [k.slice(kind.length + 1, k.lastIndexOf(':'))] : [])))].sort();

/** A row from the sum of the rollups of its lineage's versions; regions from the centres' documents. */
function rowOf(head: string, year: number, lineage: string[], tally: Tally, centres: ReadonlyMap<string, CentreFacts>): StatisticsRow {
  const survey = (h: '6m' | '24m'): SurveyTally => ({
    respondents: tally[`surveys:${h}:respondents`] ?? 0,
    neutralised: tally[`surveys:${h}:neutralised`] ?? 0,
    employedTargetJob: tally[`surveys:${h}:employedTargetJob`] ?? 0,
    employedOther: tally[`surveys:${h}:employedOther`] ?? 0,
    unemployed: tally[`surveys:${h}:unemployed`] ?? 0,
  });
  const s6 = survey('6m');
  const s24 = survey('24m');
  const den6 = s6.respondents - s6.neutralised;
  const den24 = s24.respondents - s24.neutralised;
  const byCentre = Object.fromEntries(
    namesOf(tally, 'centre').map((id) => [id, { ...cellOf(tally, `centre:${id}:`), name: centres.get(id)?.name ?? null, region: centres.get(id)?.region ?? null }]),
  );
  // A centre's region never changes: a region's counts are its centres' (a candidate seen at two centres of one
  // region in one version and year counts at both).
  const regions: Tally = {};
  for (const id of namesOf(tally, 'centre')) {
    const region = centres.get(id)?.region ?? UNKNOWN;
    for (const f of ['enrolled', 'present', 'certified', 'certifiedViaVae', 'ccpIssued'])
      regions[`region:${region}:${f}`] = (regions[`region:${region}:${f}`] ?? 0) + (tally[`centre:${id}:${f}`] ?? 0);
  }
  return {
    year,
    rncp: head,
    lineage,
    ...cellOf(tally, ''),
    insertion6mGlobal: percent(s6.employedTargetJob + s6.employedOther, den6),
    insertion6mTargetJob: percent(s6.employedTargetJob, den6),
    insertion24mTargetJob: percent(s24.employedTargetJob, den24),
    surveys: { '6m': s6, '24m': s24 },
    byRoute: Object.fromEntries(namesOf(tally, 'route').map((r) => [r, cellOf(tally, `route:${r}:`)])),
    byCentre,
    byRegion: Object.fromEntries(namesOf(regions, 'region').map((r) => [r, cellOf(regions, `region:${r}:`)])),
  };
}

/** A centre's name and region never change once registered (CentreRegistered is its only event): read once per process. */
const knownCentres = new WeakMap<ReadModelStore, Map<string, CentreFacts>>();

/**
 * The rows asked for, from the rollups (statistics-rollups.ts): for each lineage and year, one item per version
 * of the lineage, then the centres named in them. `position` is the sum of the positions of the rollups and
 * catalogue documents read: it only grows, and a rebuild gives the same.
 */
export async function readStatistics(readModels: ReadModelStore, query: StatisticsQuery = {}): Promise<StatisticsAnswer & { known: boolean }> {
  const catalogueDocs = await readModels.query<CatalogueEntry | null>(CATALOGUE_PARTITION);
  const catalogue = catalogueDocs.flatMap((d) => (d.doc ? [d.doc] : []));
  let position = catalogueDocs.reduce((sum, d) => sum + d.position, 0);
  const known = !query.rncp || catalogue.some((e) => e.version.rncp === query.rncp);
  if (!known) return { position, known, rows: [] };
  const heads = query.rncp ? [query.rncp] : lineageHeads(catalogue);
  const wanted: { head: string; year: number; lineage: string[] }[] = [];
  for (const head of heads) {
    const lineage = lineageOf(head, catalogue);
    let years = query.year !== undefined ? [query.year] : [];
    if (query.year === undefined) {
      const found = await Promise.all(lineage.map((rncp) => readModels.query<{ year: number }>(statisticsYearsPartition(rncp))));
      years = [...new Set(found.flat().map((d) => d.doc.year))].sort((a, b) => a - b);
    }
    for (const year of years) wanted.push({ head, year, lineage });
  }
  const rollups = new Map<string, { tally: Tally; position: number }>();
  await Promise.all(
    [...new Set(wanted.flatMap((w) => w.lineage.map((rncp) => `${rncp}#${w.year}`)))].map(async (id) => {
      const [rncp, year] = id.split('#') as [string, string];
      const found = await readModels.get<StatisticsRollup>(statisticsPartition(rncp, Number(year)), ROLLUP_KEY);
      rollups.set(id, { tally: found?.doc.tally ?? {}, position: found?.position ?? 0 });
    }),
  );
  for (const r of rollups.values()) position += r.position;
  const tallies = wanted.map((w) => w.lineage.reduce<Tally>((sum, rncp) => addTallies(sum, rollups.get(`${rncp}#${w.year}`)!.tally), {}));
  const centreIds = [...new Set(tallies.flatMap((t) => namesOf(t, 'centre')))].filter((id) => id !== UNKNOWN);
  let cached = knownCentres.get(readModels);
  if (!cached) knownCentres.set(readModels, (cached = new Map()));
  const seen = cached;
  const centres = new Map<string, CentreFacts>();
  await Promise.all(
    centreIds.map(async (id) => {
      const found = seen.get(id) ?? (await readDoc<CentreFacts | null>(readModels, centreFacts, id))?.doc;
      if (!found) return;
      seen.set(id, found);
      centres.set(id, found);
    }),
  );
  const rows = wanted.map((w, i) => rowOf(w.head, w.year, w.lineage, tallies[i]!, centres));
  rows.sort((a, b) => (a.rncp === b.rncp ? a.year - b.year : a.rncp < b.rncp ? -1 : 1));
  return { position, known, rows };
}
