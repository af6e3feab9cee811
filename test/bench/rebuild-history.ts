// A ledger history of realistic shape for the rebuild bench, generated straight as stored commits (what the
// events table holds and EventStore.scan yields): the referential, centres and their agréments, sessions
// (scheduled, jury, enrolments, two jurors' assessments per bloc, deliberations proposed and signed, PV
// validated) and their candidates (registered, CcpAcquired / TitreIssued on the PV date, certificate codes
// reserved, a notification, 6- and 24-month insertion surveys). Deterministic: the same seed, the same history.
import type { EventStore } from '../../functions/ports/event-store.js';
import { GENESIS_HASH, type Commit } from '../../events/envelope.js';
import { eventDefinitions, type LedgerEvent } from '../../events/registry.js';
import { loadReferentialFiles } from '../../referential/referential-file.js';
import { generatedStreams, prng } from './generated-streams.js';

const REGIONS = [
  'Auvergne-Rhône-Alpes',
  'Bourgogne-Franche-Comté',
  'Bretagne',
  'Centre-Val de Loire',
  'Corse',
  'Grand Est',
  'Hauts-de-France',
  'Île-de-France',
  'Normandie',
  'Nouvelle-Aquitaine',
  'Occitanie',
  'Pays de la Loire',
  "Provence-Alpes-Côte d'Azur",
];

interface Version {
  rncp: string;
  validFrom: string;
  validUntil: string;
  blocs: { code: string; competences: string[] }[];
}

export interface GeneratedHistory {
  /** Every commit, stream by stream in version order (the order a scan yields). */
  commits: Commit[];
  events: number;
  streams: number;
}

/** Builds a history of about `targetEvents` events (exactly that many: the remainder is made of centre registrations). */
export async function generateHistory(targetEvents: number, seed = 20220101): Promise<GeneratedHistory> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  // Stamped with each type's latest schema version; not validated here (decoding validates every one of them).
  const latest = new Map<string, number>(eventDefinitions.map((d) => [d.type, d.latest]));
  const log = generatedStreams('cmd', (event) => ({ type: event.type, schemaVersion: latest.get(event.type)!, data: event.data }));
  const { streams } = log;
  const commit = log.commit;

  // The referential, as the loader registers it.
  const files = await loadReferentialFiles();
  const versions: Version[] = [];
  for (const { registration } of files) {
    commit(`certification#${registration.rncp}`, '2019-01-02T08:00:00.000Z', 'system:referential-loader', [{ type: 'CertificationVersionRegistered', data: registration }]);
    versions.push({
      rncp: registration.rncp,
      validFrom: registration.validFrom,
      validUntil: registration.validUntil,
      blocs: registration.blocs.map((b) => ({ code: b.code, competences: b.competences.map((c) => c.code) })),
    });
  }
  for (const { registration, revision } of files) {
    if (revision)
      commit(`certification#${registration.rncp}`, '2019-01-02T08:00:00.000Z', 'system:referential-loader', [
        { type: 'CertificationVersionRevised', data: { rncp: registration.rncp, ...revision } },
      ]);
  }

  let centreCount = 0;
  const registerCentre = () => {
    const centreId = `centre-${++centreCount}`;
    commit(`centre#${centreId}`, '2019-01-03T08:00:00.000Z', 'dreets:agent-1', [
      { type: 'CentreRegistered', data: { centreId, name: `Centre de formation ${centreCount}`, region: pick(REGIONS) } },
    ]);
    return centreId;
  };
  const centres: string[] = [];
  for (let i = 0; i < 150; i++) {
    const centreId = registerCentre();
    for (const v of versions)
      commit(`centre#${centreId}`, '2019-01-03T09:00:00.000Z', 'dreets:agent-1', [
        { type: 'AgrementGranted', data: { centreId, rncp: v.rncp, validFrom: v.validFrom, validUntil: v.validUntil } },
      ]);
    centres.push(centreId);
  }
  const jurors = Array.from({ length: 400 }, (_, i) => `juror-${i + 1}`);

  const day = (base: string, plus: number) => new Date(Date.parse(`${base}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10);
  const at = (date: string, hour = 9) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;
  const routes = [
    'formation_continue',
    'formation_continue',
    'formation_continue',
    'apprentissage',
    'contrat_professionnalisation',
    'contrat_professionnalisation',
    'vae',
  ] as const;
  const situations = ['employed_target_job', 'employed_target_job', 'employed_target_job', 'employed_other', 'unemployed', 'neutralised'] as const;

  let sessionCount = 0;
  let candidateCount = 0;
  // A session of n candidates gives at most 3 + 24 n events; stop before overshooting, fill the rest with centres.
  for (;;) {
    const n = between(8, 16);
    if (log.events + 3 + n * 24 > targetEvents) break;
    const startsOn = day('2019-09-02', between(0, 6 * 365));
    const endsOn = day(startsOn, 2);
    const valid = versions.filter((v) => v.rncp !== 'RNCP12505' && v.validFrom <= startsOn && endsOn <= v.validUntil);
    const version = random() < 0.3 ? (valid.find((v) => v.rncp === 'SEED004') ?? valid[0]) : (valid.find((v) => v.rncp !== 'SEED004') ?? valid[0]);
    if (!version) continue;
    const validatedOn = day(endsOn, between(1, 10));
    const sessionId = `session-${++sessionCount}`;
    const stream = `session#${sessionId}`;
    const centreId = pick(centres);
    const centre = `centre:${centreId}`;
    const blocs = version.blocs.map((b) => b.code);
    const jury = [pick(jurors), pick(jurors)];
    commit(stream, at(day(startsOn, -60)), centre, [{ type: 'SessionScheduled', data: { sessionId, rncp: version.rncp, kind: 'titre', blocs, centreId, startsOn, endsOn } }]);
    commit(stream, at(day(startsOn, -30)), centre, [{ type: 'JuryConstituted', data: { members: jury.map((jurorId, i) => ({ jurorId, independent: i === 0 })) } }]);
    const enrolled = Array.from({ length: n }, () => {
      const candidateId = `candidate-${++candidateCount}`;
      commit(`candidate#${candidateId}`, at(day(startsOn, -45)), centre, [{ type: 'CandidateRegistered', data: { candidateId, registeredBy: centreId } }]);
      const route = pick(routes);
      commit(stream, at(day(startsOn, -20)), centre, [{ type: 'CandidateEnrolled', data: { candidateId, route, blocs } }]);
      const roll = random();
      const outcome = roll < 0.72 ? 'titre' : roll < 0.84 ? 'ccp' : roll < 0.95 ? 'ajourne' : 'absent';
      return { candidateId, outcome: outcome as 'titre' | 'ccp' | 'ajourne' | 'absent' };
    });
    for (const { candidateId, outcome } of enrolled) {
      const acquired = outcome === 'titre' ? blocs : outcome === 'ccp' ? [blocs[0]!] : [];
      if (outcome !== 'absent') {
        for (const jurorId of jury) {
          for (const bloc of version.blocs) {
            const result = acquired.includes(bloc.code) ? 'acquis' : 'non_acquis';
            commit(stream, at(startsOn, 10), `juror:${jurorId}`, [
              { type: 'AssessmentRecorded', data: { jurorId, candidateId, bloc: bloc.code, competences: bloc.competences.slice(0, 4).map((code) => ({ code, result })) } },
            ]);
          }
        }
      }
      const decision = { candidateId, outcome, blocs: acquired, finalInterviewHeld: outcome === 'titre' };
      commit(stream, at(endsOn, 14), `juror:${jury[0]}`, [
        { type: 'DeliberationProposed', data: { ...decision, proposedBy: jury[0]! } },
        { type: 'DeliberationSigned', data: { candidateId, jurorId: jury[0]! } },
      ]);
      commit(stream, at(endsOn, 15), `juror:${jury[1]}`, [
        { type: 'DeliberationSigned', data: { candidateId, jurorId: jury[1]! } },
        { type: 'DeliberationFinalised', data: decision },
      ]);
    }
    commit(stream, at(validatedOn), 'dreets:agent-1', [{ type: 'PvValidated', data: { validatedBy: 'agent-1', validatedOn } }]);

    // The session workflow on each candidate's stream, then the surveys.
    for (const { candidateId, outcome } of enrolled) {
      const cstream = `candidate#${candidateId}`;
      const workflow = 'system:session-workflow';
      if (outcome === 'ajourne' || outcome === 'absent') continue;
      const acquired = outcome === 'titre' ? blocs : [blocs[0]!];
      const outcomeEvents: LedgerEvent[] = acquired.map((bloc) => ({
        type: 'CcpAcquired',
        data: { candidateId, rncp: version.rncp, bloc, acquiredOn: validatedOn, via: { kind: 'session', sessionId } },
      }));
      if (outcome === 'titre') outcomeEvents.push({ type: 'TitreIssued', data: { candidateId, rncp: version.rncp, issuedOn: validatedOn, sessionId, blocs, route: 'session' } });
      commit(cstream, at(validatedOn, 10), workflow, outcomeEvents);
      const certificates = outcome === 'titre' ? [{ kind: 'titre' as const, blocs }] : acquired.map((bloc) => ({ kind: 'ccp' as const, blocs: [bloc] }));
      for (const c of certificates) {
        const code = `${candidateId}-${c.kind}-${c.blocs.length}`.toUpperCase();
        commit(cstream, at(validatedOn, 11), workflow, [
          {
            type: 'CertificateCodeReserved',
            data: { candidateId, issuanceKey: `${sessionId}:${c.kind}:${c.blocs.join('+')}`, code, kind: c.kind, rncp: version.rncp, blocs: c.blocs },
          },
        ]);
      }
      commit(cstream, at(validatedOn, 12), workflow, [
        {
          type: 'CandidateNotified',
          data: { candidateId, notificationKey: `session-results:${sessionId}`, topic: 'session-results', message: `Résultats de la session ${sessionId}`, rncp: version.rncp },
        },
      ]);
      if (random() < 0.7)
        commit(cstream, at(day(validatedOn, 183)), 'ministry:surveys', [
          { type: 'InsertionSurveyRecorded', data: { candidateId, horizon: '6m', situation: pick(situations), recordedBy: 'ministry:surveys' } },
        ]);
      if (random() < 0.55)
        commit(cstream, at(day(validatedOn, 730)), 'ministry:surveys', [
          { type: 'InsertionSurveyRecorded', data: { candidateId, horizon: '24m', situation: pick(situations), recordedBy: 'ministry:surveys' } },
        ]);
    }
  }
  while (log.events < targetEvents) registerCentre();

  const commits = [...streams.keys()].sort().flatMap((stream) => streams.get(stream)!);
  return { commits, events: log.events, streams: streams.size };
}

/** What a DynamoDB Scan page holds at most (its items' size). */
const PAGE_BYTES = 1024 * 1024;

/**
 * The generated history as an event store: scan and scanPage yield it as the DynamoDB adapter does, stream by
 * stream, a page holding at most 1 MB of commits (their JSON size, measured once here, not while a bench runs).
 */
export function historyStore(history: GeneratedHistory): EventStore {
  const byStream = new Map<string, Commit[]>();
  const at = new Map<string, number>();
  // ends[i]: the JSON size of commits 0..i-1, so a page from `start` runs while ends[end] - ends[start] <= PAGE_BYTES.
  const ends = new Float64Array(history.commits.length + 1);
  history.commits.forEach((c, i) => {
    const list = byStream.get(c.stream);
    if (list) list.push(c);
    else byStream.set(c.stream, [c]);
    at.set(`${c.stream}\u0000${c.version}`, i);
    ends[i + 1] = ends[i]! + JSON.stringify(c).length;
  });
  return {
    append: () => Promise.reject(new Error('the bench history is read-only')),
    scanPage: async ({ segment, after, limit }) => {
      if (segment && segment.total > 1) throw new Error('the bench history is one scan segment');
      const start = after ? at.get(`${after.stream}\u0000${after.version}`)! + 1 : 0;
      let end = start + 1;
      while (end < history.commits.length && ends[end + 1]! - ends[start]! <= PAGE_BYTES && (!limit || end - start < limit)) end++;
      end = Math.min(end, history.commits.length);
      const commits = history.commits.slice(start, end);
      const last = commits.at(-1);
      return { commits, ...(end < history.commits.length && last ? { next: { stream: last.stream, version: last.version } } : {}) };
    },
    read: async (stream, fromVersion = 1) => {
      const all = byStream.get(stream) ?? [];
      const head = all.at(-1);
      return { commits: all.filter((c) => c.last >= fromVersion), version: head?.last ?? 0, head: head?.hash ?? GENESIS_HASH };
    },
    scan: async function* () {
      yield* history.commits;
    },
  };
}
