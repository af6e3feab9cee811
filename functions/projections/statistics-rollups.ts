import type { RecordedEvent } from '../../events/registry.js';
import { ConcurrencyError } from '../ports/event-store.js';
import { partitionOf, type ReadModelStore } from '../ports/read-model-store.js';
import { computeStatistics, type StatisticsRow } from '../statistics/statistics-report.js';
import { readDoc, type ProjectionFollower } from './projection.js';
import { candidateFacts, sessionFacts, withdrawnAt, type CandidateFacts, type SessionFacts } from './statistics-facts.js';

/**
 * The statistics kept per (certification version, year of obtention), DESIGN.md §3 and §5: each partition
 * `statistics#<rncp>#<year>` holds one fact per candidate (what that candidate counts for in that version and
 * year, as counts) and one rollup, the sum of those facts. GET /statistics reads the rollups of the versions of
 * a lineage: one item each, whatever the size of the ledger.
 *
 * A fact is the pure function of the candidate's and their sessions' fact documents (statistics-facts.ts),
 * computed by the same code as the whole-ledger statistics (computeStatistics, restricted to one candidate),
 * so a candidate counts once per version and year however many sessions they sat. It is recomputed after each
 * commit that changes those documents; only a change is written, and the rollup moves by the difference.
 *
 * Without transactions the fact and the rollup cannot be written atomically, so the rollup is also the
 * partition's write-ahead log: the rollup is written first with the new sum and, in `pending`, the fact write
 * that goes with it; then the fact; then `pending` is cleared. Whoever finds a `pending` (a crash between the
 * writes, another projector instance) finishes it first, and only one can be pending at a time (every rollup
 * write is conditional on its position), so each difference is added exactly once.
 *
 * Positions: a fact's position is the sum, over what it reflects, of the stream versions of the events that
 * recorded it (its inputs, kept apart so that a projector that read older documents than the stored fact sees it
 * and reads again); a rollup's is the sum of its facts'. Both only grow, and a rebuild reaches the same values.
 */

export const statisticsPartition = (rncp: string, year: number) => partitionOf('statistics', `${rncp}#${year}`);
/** The years a version has statistics for: one item per year. */
export const statisticsYearsPartition = (rncp: string) => partitionOf('statistics-years', rncp);
export const ROLLUP_KEY = '#rollup';
const factKey = (candidateId: string) => `candidate#${candidateId}`;

/** Counts by name (`enrolled`, `route:vae:certified`, `centre:<id>:present`, `surveys:6m:neutralised`…): no zeros, names sorted. */
export type Tally = Record<string, number>;

export interface CandidateYearFact {
  candidateId: string;
  tally: Tally;
  /** By source (`candidate`, `session#<id>`), the sum of the versions of the events reflected. */
  inputs: Record<string, number>;
}

export interface StatisticsRollup {
  tally: Tally;
  /** The fact write that goes with this sum, until it is done. */
  pending?: { key: string; fact: CandidateYearFact; position: number; expected: number };
}

const BREAKDOWN = ['enrolled', 'present', 'certified', 'certifiedViaVae', 'ccpIssued'] as const;
const SURVEY = ['respondents', 'neutralised', 'employedTargetJob', 'employedOther', 'unemployed'] as const;

const canonical = (tally: Tally): Tally =>
  Object.fromEntries(
    Object.keys(tally)
      .filter((k) => tally[k] !== 0)
      .sort()
      .map((k) => [k, tally[k]!]),
  );

export function addTallies(a: Tally, b: Tally, sign = 1): Tally {
  const out: Tally = { ...a };
  for (const k in b) out[k] = (out[k] ?? 0) + sign * b[k]!;
  return canonical(out);
}

/** A row's counts as a tally (byRegion is derived from byCentre on read: a centre's region does not change). */
export function tallyOfRow(row: StatisticsRow): Tally {
  const t: Tally = {};
  for (const f of BREAKDOWN) t[f] = row[f];
  for (const [route, cell] of Object.entries(row.byRoute)) for (const f of BREAKDOWN) t[`route:${route}:${f}`] = cell[f];
  for (const [centre, cell] of Object.entries(row.byCentre)) for (const f of BREAKDOWN) t[`centre:${centre}:${f}`] = cell[f];
  for (const h of ['6m', '24m'] as const) for (const f of SURVEY) t[`surveys:${h}:${f}`] = row.surveys[h][f];
  return canonical(t);
}

const yearOf = (date: string) => Number(date.slice(0, 4));
const partitionKey = (rncp: string, year: number) => `${rncp}#${year}`;

/** The (version, year) partitions a candidate's own facts (titres, CCPs) count in. */
function candidatePartitions(doc: CandidateFacts | undefined): Map<string, { rncp: string; year: number }> {
  const out = new Map<string, { rncp: string; year: number }>();
  for (const t of doc?.titres ?? []) out.set(partitionKey(t.rncp, yearOf(t.issuedOn)), { rncp: t.rncp, year: yearOf(t.issuedOn) });
  for (const c of doc?.ccps ?? []) out.set(partitionKey(c.rncp, yearOf(c.acquiredOn)), { rncp: c.rncp, year: yearOf(c.acquiredOn) });
  return out;
}

/** The fact of one candidate in one version and year, from their documents; undefined when nothing is reflected. */
export function candidateYearFact(
  candidateId: string,
  rncp: string,
  year: number,
  candidate: CandidateFacts | undefined,
  sessions: ReadonlyMap<string, SessionFacts>,
): CandidateYearFact | undefined {
  const inPartition = (s: SessionFacts) => s.rncp === rncp && s.validatedOn !== null && yearOf(s.validatedOn) === year;
  const inputs: Record<string, number> = {};
  const own = new Map<string, SessionFacts>();
  // The sessions this fact reads: those of the partition the candidate sat, and those of its titres and CCPs.
  const referenced = new Set<string>();
  for (const t of candidate?.titres ?? []) if (t.rncp === rncp && yearOf(t.issuedOn) === year) referenced.add(t.sessionId);
  for (const c of candidate?.ccps ?? []) if (c.sessionId && c.rncp === rncp && yearOf(c.acquiredOn) === year) referenced.add(c.sessionId);
  for (const [id, s] of sessions) {
    const entry = s.candidates[candidateId];
    if (!referenced.has(id) && !(entry && inPartition(s))) continue;
    // Only this candidate's line of each session: the fact is theirs alone.
    own.set(id, { ...s, candidates: entry ? { [candidateId]: entry } : {} });
    // Withdrawn since: the withdrawal is the session's latest word on them (a fact's inputs only grow).
    const at = (entry?.at ?? withdrawnAt(s, candidateId) ?? 0) + (inPartition(s) && entry ? (s.validatedAt ?? 0) : 0);
    if (at) inputs[`session#${id}`] = at;
  }
  let mine = 0;
  const titresHere = new Set<number>();
  candidate?.titres.forEach((t, i) => {
    if (t.rncp !== rncp || yearOf(t.issuedOn) !== year) return;
    titresHere.add(i);
    mine += (t.at ?? 0) + (t.annulledAt ?? 0);
  });
  let ccpsHere = false;
  for (const c of candidate?.ccps ?? []) {
    if (c.rncp !== rncp || yearOf(c.acquiredOn) !== year) continue;
    ccpsHere = true;
    mine += (c.at ?? 0) + (c.annulledAt ?? 0);
  }
  // Whether a CCP counts depends on the candidate's titres of any year (one from the same session takes it in).
  if (ccpsHere) candidate?.titres.forEach((t, i) => void (titresHere.has(i) ? 0 : (mine += t.at ?? 0)));
  for (const s of candidate?.surveys ?? []) if (s.titre !== null && titresHere.has(s.titre)) mine += s.at ?? 0;
  if (mine) inputs.candidate = mine;
  if (!Object.keys(inputs).length) return undefined;
  const [row] = computeStatistics({ sessions: [...own.values()], candidates: candidate ? [candidate] : [], centres: [], catalogue: [] }, { rncp, year });
  return { candidateId, tally: row ? tallyOfRow(row) : {}, inputs: Object.fromEntries(Object.entries(inputs).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

const positionOf = (fact: CandidateYearFact) => Object.values(fact.inputs).reduce((a, b) => a + b, 0);
/** True when `a` reflects nothing `b` does not (every input of `a` at most `b`'s). */
const within = (a: CandidateYearFact['inputs'], b: CandidateYearFact['inputs']) => Object.entries(a).every(([k, v]) => v <= (b[k] ?? 0));

/** The candidates a commit's events change the statistics of, by stream. */
function candidatesConcerned(stream: string, events: readonly RecordedEvent[], session: SessionFacts | undefined): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    switch (e.type) {
      case 'CandidateEnrolled':
      case 'CandidateWithdrawn':
      case 'DeliberationFinalised':
      case 'DecisionAnnulled':
        out.add(e.data.candidateId);
        break;
      case 'PvValidated':
      case 'SessionScheduled':
        for (const id of Object.keys(session?.candidates ?? {})) out.add(id);
        break;
      case 'CcpAcquired':
      case 'TitreIssued':
      case 'TitreAnnulled':
      case 'CcpAcquisitionAnnulled':
      case 'InsertionSurveyRecorded':
        if (stream.startsWith('candidate#')) out.add(e.data.candidateId);
        break;
      default:
    }
  }
  return out;
}

const MAX_ATTEMPTS = 50;

/** Keeps the facts and rollups after each commit of a session or candidate stream (a ProjectionFollower). */
export const statisticsRollups: ProjectionFollower = {
  name: 'statistics-rollups',
  async follow(stream, events, readModels) {
    const sessionId = stream.startsWith('session#') ? stream.slice('session#'.length) : undefined;
    if (!sessionId && !stream.startsWith('candidate#')) return;
    const session = sessionId ? ((await readDoc<SessionFacts | null>(readModels, sessionFacts, sessionId))?.doc ?? undefined) : undefined;
    for (const candidateId of candidatesConcerned(stream, events, session)) await refreshCandidate(readModels, candidateId, sessionId);
  },
};

/** Recomputes a candidate's facts in every partition they count in that the commit may have changed. */
async function refreshCandidate(readModels: ReadModelStore, candidateId: string, sessionId: string | undefined): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const candidate = (await readDoc<CandidateFacts | null>(readModels, candidateFacts, candidateId))?.doc ?? undefined;
    const partitions = candidatePartitions(candidate);
    const sessionIds = new Set<string>([...(candidate?.titres ?? []).map((t) => t.sessionId), ...(candidate?.ccps ?? []).flatMap((c) => (c.sessionId ? [c.sessionId] : []))]);
    if (sessionId) sessionIds.add(sessionId);
    const sessions = new Map<string, SessionFacts>();
    for (const id of [...sessionIds].sort()) {
      const doc = (await readDoc<SessionFacts | null>(readModels, sessionFacts, id))?.doc;
      if (doc) sessions.set(id, doc);
    }
    const trigger = sessionId ? sessions.get(sessionId) : undefined;
    if (trigger?.validatedOn && trigger.candidates[candidateId]) {
      const year = yearOf(trigger.validatedOn);
      partitions.set(partitionKey(trigger.rncp, year), { rncp: trigger.rncp, year });
    }
    let stale = false;
    for (const { rncp, year } of partitions.values()) {
      // The sessions a fact of this partition reads: the candidate's own, plus those it was already built from.
      const partition = statisticsPartition(rncp, year);
      const stored = await readModels.get<CandidateYearFact | null>(partition, factKey(candidateId));
      const known = new Map(sessions);
      for (const source of Object.keys(stored?.doc?.inputs ?? {})) {
        const id = source.startsWith('session#') ? source.slice('session#'.length) : undefined;
        if (id && !known.has(id)) {
          const doc = (await readDoc<SessionFacts | null>(readModels, sessionFacts, id))?.doc;
          if (doc) known.set(id, doc);
        }
      }
      const fact = candidateYearFact(candidateId, rncp, year, candidate, known);
      if (!fact) continue;
      if (stored?.doc && !within(stored.doc.inputs, fact.inputs)) {
        stale = true; // another projector wrote from newer documents than this one read: read them again
        break;
      }
      await writeFact(readModels, partition, rncp, year, fact);
    }
    if (!stale) return;
    if (attempt >= MAX_ATTEMPTS) throw new ConcurrencyError(`statistics of candidate ${candidateId}`, attempt);
  }
}

/** Finishes the fact write a rollup holds; a write already done is refused by its condition, which is fine. */
async function finishPending(readModels: ReadModelStore, partition: string, rollup: StatisticsRollup, position: number): Promise<void> {
  const { pending } = rollup;
  if (!pending) return;
  try {
    await readModels.put(partition, pending.key, pending.fact, pending.position, pending.expected);
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
  }
  try {
    await readModels.put<StatisticsRollup>(partition, ROLLUP_KEY, { tally: rollup.tally }, position, position);
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
  }
}

async function writeFact(readModels: ReadModelStore, partition: string, rncp: string, year: number, fact: CandidateYearFact): Promise<void> {
  const key = factKey(fact.candidateId);
  const position = positionOf(fact);
  for (let attempt = 0; ; attempt++) {
    const rollup = await readModels.get<StatisticsRollup>(partition, ROLLUP_KEY);
    if (rollup?.doc.pending) {
      await finishPending(readModels, partition, rollup.doc, rollup.position);
      continue;
    }
    const stored = await readModels.get<CandidateYearFact | null>(partition, key);
    const before = stored?.position ?? 0;
    if (before >= position) return; // already reflected (a duplicate, or a newer fact)
    if (!rollup) {
      // The version's years, before the first rollup of the year, so the index never misses one.
      const years = statisticsYearsPartition(rncp);
      if (!(await readModels.get(years, String(year)))) {
        try {
          await readModels.put(years, String(year), { year }, 1, 0);
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
        }
      }
    }
    const tally = addTallies(addTallies(rollup?.doc.tally ?? {}, stored?.doc?.tally ?? {}, -1), fact.tally);
    const next: StatisticsRollup = { tally, pending: { key, fact, position, expected: before } };
    const rollupPosition = (rollup?.position ?? 0) - before + position;
    try {
      await readModels.put(partition, ROLLUP_KEY, next, rollupPosition, rollup?.position ?? 0);
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
      // Another projector moved the year's rollup meanwhile (a busy year): wait a little, at random, then again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 5))));
      continue;
    }
    await finishPending(readModels, partition, next, rollupPosition);
    return;
  }
}
