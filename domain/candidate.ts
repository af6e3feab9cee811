import type { TitreRoute } from '../events/candidate.js';
import type { AccessRoute, CertificationVersion } from '../events/certification.js';
import type { EventData, LedgerEvent } from '../events/registry.js';
import { assertNever, type Decider } from './decider.js';
import { conflict, forbidden, notFound, refuse } from './errors.js';
import { addYears } from './dates.js';
import { requireTerritory } from './territory.js';
import { usableUntilOf } from './livret.js';
import { TRAINING_ROUTES, type CandidateFacts } from './session.js';

type CandidateEventType =
  | 'CandidateRegistered'
  | 'PersonalDataErased'
  | 'CcpAcquired'
  | 'TitreIssued'
  | 'CcpUsabilityLapsed'
  | 'CcpAcquisitionAnnulled'
  | 'TitreAnnulled'
  | 'CertificateCodeReserved'
  | 'CandidateNotified'
  | 'InsertionSurveyRecorded'
  | 'TrainingDeclared'
  | 'SessionOutcomeRecorded'
  | 'VaeRecevabiliteDecided'
  | 'EquivalenceGranted'
  | 'CcsAcquired'
  | 'TitreSittingReserved'
  | 'TitreSittingReleased';
export type CandidateEvent = Extract<LedgerEvent, { type: CandidateEventType }>;

export type CandidateCommand =
  | {
      type: 'RegisterCandidate';
      candidateId: string;
      centreId: string;
      /** The registering centre as its stream has it (loaded by the handler); undefined when no DREETS registered it. */
      centre: { centreId: string } | undefined;
    }
  | {
      type: 'ErasePersonalData';
      candidateId: string;
      erasedBy: string;
      legalBasis: string;
      /** The agent's region and the region of the candidate's centre: the DREETS erases the candidates of its territory. */
      actingRegion: string | undefined;
      candidateRegion: string | undefined;
    }
  | {
      /** What a validated PV decided for this candidate (the session workflow). */
      type: 'RecordSessionOutcome';
      candidateId: string;
      sessionId: string;
      version: CertificationVersion;
      outcome: 'titre' | 'ccp' | 'ajourne' | 'absent' | 'exclu';
      blocs: string[];
      decidedOn: string;
      /** The session and the candidate's enrolment in it. */
      enrolment: { kind: 'titre' | 'ccp' | 'ccs'; route: AccessRoute; blocs: string[]; startsOn: string; endsOn: string };
      /** How a titre outcome was obtained (session titre, capitalisation, VAE). */
      titreRoute: TitreRoute;
      /** The blocs of the version usable on `decidedOn` (livret: acquired, by correspondence, by équivalence). */
      usableBlocs: string[];
    }
  | {
      type: 'DeclareTraining';
      candidateId: string;
      actingCentre: string;
      rncp: string;
      route: AccessRoute;
      endsOn: string;
      allowedRoutes: readonly AccessRoute[];
      /** The version's validFrom: a training toward it ends after it opened. */
      versionOpenedOn: string;
      today: string;
    }
  | ({
      /** Decided by the DREETS of the candidate's centre's region (rule 16), like an équivalence. */
      type: 'DecideVaeRecevabilite';
      today: string;
      /** The version's validFrom: no recevabilité to it is decided before it opened, as for an équivalence. */
      versionOpenedOn: string;
      actingRegion: string | undefined;
      candidateRegion: string | undefined;
    } & EventData<'VaeRecevabiliteDecided'>)
  | ({
      /** Total (titre) or partial (blocs) équivalence, decided by the DREETS of the candidate's centre's region. */
      type: 'GrantEquivalence';
      version: CertificationVersion;
      /** The blocs of the version usable before this decision (livret), for a titre by cumul. */
      usableBlocs: string[];
      actingRegion: string | undefined;
      candidateRegion: string | undefined;
      today: string;
      /** The candidate's birth date, from the vault; undefined once erased. */
      bornOn: string | undefined;
    } & EventData<'EquivalenceGranted'>)
  | { type: 'RecordUsabilityCheck'; candidateId: string; version: CertificationVersion; bloc: string; today: string }
  /** `note`: the annulment's reason and legal basis in the candidate's vault, as DecisionAnnulled has it. */
  | { type: 'AnnulSessionDecision'; candidateId: string; sessionId: string; note: string | undefined }
  | ({ type: 'ReserveCertificateCode' } & EventData<'CertificateCodeReserved'>)
  | ({ type: 'Notify' } & EventData<'CandidateNotified'>)
  | ({ type: 'RecordInsertionSurvey' } & EventData<'InsertionSurveyRecorded'>)
  /** Before an enrolment in a titre session: the seat at that session, the one titre session of the version at a time. */
  | ({ type: 'ReserveTitreSitting' } & EventData<'TitreSittingReserved'>)
  /** The session refused the enrolment after the seat was taken: the seat is given back. */
  | ({ type: 'ReleaseTitreSitting' } & EventData<'TitreSittingReleased'>);

interface Acquisition {
  rncp: string;
  bloc: string;
  acquiredOn: string;
  sessionId?: string;
  annulled: boolean;
}

export interface CandidateState {
  registered: boolean;
  registeredBy?: string;
  erased: boolean;
  acquisitions: Acquisition[];
  titres: { rncp: string; sessionId: string; issuedOn: string; route: TitreRoute; annulled: boolean }[];
  /** Every PV decision on the candidate, in the order recorded. */
  outcomes: EventData<'SessionOutcomeRecorded'>[];
  trainings: { rncp: string; route: AccessRoute; endsOn: string }[];
  vaeRecevable: string[];
  equivalences: string[];
  ccs: { rncp: string; ccs: string; sessionId: string }[];
  lapsed: string[];
  reservations: Record<string, EventData<'CertificateCodeReserved'>>;
  notifications: string[];
  surveys: { horizon: '6m' | '24m'; situation: string }[];
  /** rncp → the titre session of that version the candidate sits and whose PV has not decided for them yet. */
  titreSittings: Record<string, string>;
}

export const candidateStream = (candidateId: string) => `candidate#${candidateId}`;

const initialState: CandidateState = {
  registered: false,
  erased: false,
  acquisitions: [],
  titres: [],
  outcomes: [],
  trainings: [],
  vaeRecevable: [],
  equivalences: [],
  ccs: [],
  lapsed: [],
  reservations: {},
  notifications: [],
  surveys: [],
  titreSittings: {},
};

const activeTitre = (s: CandidateState, rncp: string) => s.titres.find((t) => t.rncp === rncp && !t.annulled);
/** Held and still counting: a lapsed bloc can be sat and acquired again. */
const holds = (s: CandidateState, rncp: string, bloc: string) =>
  !s.lapsed.includes(`${rncp}|${bloc}`) && s.acquisitions.some((a) => a.rncp === rncp && a.bloc === bloc && !a.annulled);

/**
 * What a session needs to know of the candidate for `rncp`: the blocs usable today (from the livret, which knows
 * the correspondences), the titre, and the re-sit facts: the latest decision on a training-route enrolment, when
 * it fell short of what was sat (ajourné, absent, or only part of the blocs), and the trainings declared since.
 */
export function candidateFactsFor(state: CandidateState, candidateId: string, rncp: string, usableBlocs: string[]): CandidateFacts | undefined {
  if (!state.registered) return undefined;
  const latest = state.outcomes.filter((o) => o.rncp === rncp && TRAINING_ROUTES.includes(o.route)).at(-1);
  const fullSuccess = latest && (latest.outcome === 'titre' || (latest.outcome === 'ccp' && latest.enrolledBlocs.every((b) => latest.blocs.includes(b))));
  return {
    candidateId,
    registeredBy: state.registeredBy ?? '',
    usableBlocs,
    holdsTitre: Boolean(activeTitre(state, rncp)),
    ...(latest && !fullSuccess ? { lastShortfall: { sessionId: latest.sessionId, decidedOn: latest.decidedOn } } : {}),
    trainings: state.trainings.filter((t) => t.rncp === rncp).map((t) => ({ endsOn: t.endsOn })),
    vaeRecevable: state.vaeRecevable.includes(rncp),
    ...(state.titreSittings[rncp] ? { titreSittingAt: state.titreSittings[rncp] } : {}),
  };
}

function requireRegistered(state: CandidateState, candidateId: string) {
  if (!state.registered) throw notFound('candidate-not-found', `no candidate ${candidateId}`);
}

/** A decision is recorded once taken: dated today at the latest (a future date would take effect at once). */
/**
 * The latest end a declared training may have: 5 years after today. The longest training toward a titre
 * professionnel is an apprenticeship contract, at most 3 years (Code du travail, art. L6222-7-1); 5 leaves room for a
 * suspension or an extension, and anything later (9999-12-31) is a typing mistake that would keep a re-sit open forever.
 */
export const TRAINING_HORIZON_YEARS = 5;

export function requirePlausibleTrainingEnd(endsOn: string, today: string) {
  const latest = addYears(today, TRAINING_HORIZON_YEARS);
  if (endsOn > latest) throw refuse('implausible-training-end', `a training ending on ${endsOn} ends more than ${TRAINING_HORIZON_YEARS} years after ${today}`);
}

function requireDecidedBy(decidedOn: string, today: string) {
  if (decidedOn > today) throw refuse('decided-in-the-future', `a decision dated ${decidedOn} cannot be recorded on ${today}`);
}

/**
 * The youngest a candidate registers: 15, the age at which a young person who has finished collège may enter an
 * apprenticeship (Code du travail, art. L6222-1), the earliest route to a titre professionnel. A birth date later than
 * that, or in the future, is a typing mistake.
 */
export const MINIMUM_CANDIDATE_AGE = 15;
/** The oldest: 125 years, past the oldest person ever recorded (122); an older birth date is a typing mistake. */
export const MAXIMUM_CANDIDATE_AGE = 125;

/**
 * Refuses an implausible birth date. The birth date never enters the ledger (it lives in the person vault), so the
 * registering route applies this rule before it writes the vault, rather than decide.
 */
export function requirePlausibleBirthDate(birthDate: string, today: string) {
  const latest = `${String(Number(today.slice(0, 4)) - MINIMUM_CANDIDATE_AGE).padStart(4, '0')}${today.slice(4)}`;
  // Born on or before this day, they turned MAXIMUM_CANDIDATE_AGE + 1 by today.
  const tooOld = addYears(today, -(MAXIMUM_CANDIDATE_AGE + 1));
  if (birthDate <= tooOld || birthDate > latest) {
    throw refuse('implausible-birth-date', `a candidate born on ${birthDate} would not be between ${MINIMUM_CANDIDATE_AGE} and ${MAXIMUM_CANDIDATE_AGE} years old on ${today}`);
  }
}

function decide(command: CandidateCommand, state: CandidateState): CandidateEvent[] {
  switch (command.type) {
    case 'RegisterCandidate':
      if (state.registered) return [];
      // A centre token is only as good as the centre behind it: one no DREETS registered holds no candidate files.
      if (command.centre?.centreId !== command.centreId) {
        throw forbidden('centre-not-registered', `centre ${command.centreId} is not registered: no DREETS has registered it to hold candidate files`);
      }
      return [{ type: 'CandidateRegistered', data: { candidateId: command.candidateId, registeredBy: command.centreId } }];

    case 'ErasePersonalData':
      requireRegistered(state, command.candidateId);
      // Erasure is the DREETS's decision on a person of its territory (API.md: dreets; DESIGN.md rule 16), as the
      // others it takes on a candidate: an agent elsewhere, or of no region, would shred anyone's data.
      requireTerritory(command.actingRegion, command.candidateRegion, `candidate ${command.candidateId}`);
      if (state.erased) return [];
      return [{ type: 'PersonalDataErased', data: { candidateId: command.candidateId, erasedBy: command.erasedBy, legalBasis: command.legalBasis } }];

    case 'RecordSessionOutcome': {
      requireRegistered(state, command.candidateId);
      const { candidateId, sessionId, version, outcome, decidedOn, enrolment } = command;
      const rncp = version.rncp;
      const known = new Set((enrolment.kind === 'ccs' ? version.ccs : version.blocs).map((b) => b.code));
      const unknown = command.blocs.filter((b) => !known.has(b));
      if (unknown.length) throw refuse('unknown-bloc', `${unknown.join(', ')} not in ${rncp}`);
      const events: CandidateEvent[] = [];
      // Idempotent per session: a retried step records the decision, the blocs and the titre once.
      if (!state.outcomes.some((o) => o.sessionId === sessionId)) {
        events.push({
          type: 'SessionOutcomeRecorded',
          data: {
            candidateId,
            sessionId,
            rncp,
            kind: enrolment.kind,
            route: enrolment.route,
            outcome,
            enrolledBlocs: enrolment.blocs,
            blocs: command.blocs,
            startsOn: enrolment.startsOn,
            endsOn: enrolment.endsOn,
            decidedOn,
          },
        });
      }
      if (outcome === 'ajourne' || outcome === 'absent' || outcome === 'exclu') return events;
      if (enrolment.kind === 'ccs') {
        // A CCS is obtained only after the titre it complements (art. 1 of the arrêté of 22/12/2015).
        if (!activeTitre(state, rncp)) throw refuse('ccs-needs-titre', `${candidateId} does not hold the titre ${rncp}`);
        const already = (ccs: string) => state.ccs.some((c) => c.rncp === rncp && c.ccs === ccs);
        for (const ccs of command.blocs.filter((c) => !already(c))) events.push({ type: 'CcsAcquired', data: { candidateId, rncp, ccs, acquiredOn: decidedOn, sessionId } });
        return events;
      }
      events.push(
        ...command.blocs
          .filter((bloc) => !state.acquisitions.some((a) => a.rncp === rncp && a.bloc === bloc && a.sessionId === sessionId && !a.annulled))
          .filter((bloc) => !holds(state, rncp, bloc))
          .map((bloc): CandidateEvent => ({ type: 'CcpAcquired', data: { candidateId, rncp, bloc, acquiredOn: decidedOn, via: { kind: 'session', sessionId } } })),
      );
      if (outcome === 'titre') {
        const titre = activeTitre(state, rncp);
        if (titre?.sessionId === sessionId) return events;
        if (titre) throw conflict('titre-already-issued', `${candidateId} already holds the titre ${rncp}`);
        // The blocs acquired now, and those held and usable: acquired earlier, carried by a revision, or by équivalence.
        const held = new Set([...command.blocs, ...command.usableBlocs]);
        const missing = [...known].filter((b) => !held.has(b));
        if (missing.length) throw refuse('titre-blocs-missing', `the titre ${rncp} needs ${missing.join(', ')}`);
        events.push({ type: 'TitreIssued', data: { candidateId, rncp, issuedOn: decidedOn, sessionId, blocs: [...known], route: command.titreRoute } });
      }
      return events;
    }

    case 'DeclareTraining': {
      requireRegistered(state, command.candidateId);
      const { candidateId, actingCentre, rncp, route, endsOn, allowedRoutes } = command;
      if (state.registeredBy !== actingCentre) throw forbidden('not-your-candidate', `candidate ${candidateId} was registered by another centre`);
      requirePlausibleTrainingEnd(endsOn, command.today);
      // Chosen over the candidate's birth (the vault's, not the ledger's): a training toward a version ends after it opened.
      if (endsOn < command.versionOpenedOn) {
        throw refuse('training-ends-before-version', `${rncp} opened on ${command.versionOpenedOn}: no training toward it ended on ${endsOn}`);
      }
      // A training toward the titre by a route the version refuses opens no enrolment: it is not one to declare.
      if (!allowedRoutes.includes(route)) throw refuse('route-not-allowed', `${rncp} is not open to the route ${route}`);
      if (state.trainings.some((t) => t.rncp === rncp && t.route === route && t.endsOn === endsOn)) return [];
      return [{ type: 'TrainingDeclared', data: { candidateId, rncp, route, endsOn, declaredBy: actingCentre } }];
    }

    case 'DecideVaeRecevabilite': {
      requireRegistered(state, command.candidateId);
      const { type: _, today, actingRegion, candidateRegion, versionOpenedOn, ...data } = command;
      requireTerritory(actingRegion, candidateRegion, `candidate ${data.candidateId}`);
      requireDecidedBy(data.decidedOn, today);
      if (data.decidedOn < versionOpenedOn) {
        throw refuse('decided-before-version', `${data.rncp} opened on ${versionOpenedOn}: no VAE recevabilité for it was decided on ${data.decidedOn}`);
      }
      if (state.vaeRecevable.includes(data.rncp)) return [];
      return [{ type: 'VaeRecevabiliteDecided', data }];
    }

    case 'GrantEquivalence': {
      requireRegistered(state, command.candidateId);
      const { type: _, version, usableBlocs, actingRegion, candidateRegion, today, bornOn, ...data } = command;
      requireTerritory(actingRegion, candidateRegion, `candidate ${data.candidateId}`);
      requireDecidedBy(data.decidedOn, today);
      // An équivalence is granted against a version's blocs: not before that version opened, nor before the person was born.
      if (data.decidedOn < version.validFrom) {
        throw refuse('decided-before-version', `${version.rncp} opened on ${version.validFrom}: no équivalence to it was decided on ${data.decidedOn}`);
      }
      if (bornOn !== undefined && data.decidedOn < bornOn) throw refuse('decided-before-birth', `a decision dated ${data.decidedOn} precedes the candidate's birth`);
      if (state.equivalences.includes(data.decisionId)) return [];
      const known = version.blocs.map((b) => b.code);
      const unknown = data.blocs.filter((b) => !known.includes(b));
      if (unknown.length) throw refuse('unknown-bloc', `${unknown.join(', ')} not in ${version.rncp}`);
      if (data.blocs.length === 0 && !data.titre) throw refuse('equivalence-grants-nothing', 'an équivalence grants blocs, the titre, or both');
      const { candidateId, rncp, decidedOn, decisionId } = data;
      const events: CandidateEvent[] = [{ type: 'EquivalenceGranted', data }];
      const via = { kind: 'equivalence' as const, decision: decisionId };
      for (const bloc of data.blocs.filter((b) => !holds(state, rncp, b))) events.push({ type: 'CcpAcquired', data: { candidateId, rncp, bloc, acquiredOn: decidedOn, via } });
      if (data.titre) {
        if (activeTitre(state, rncp)) throw conflict('titre-already-issued', `${candidateId} already holds the titre ${rncp}`);
        // A total équivalence names the titre; a cumul of partial ones and CCPs must cover every bloc (art. 1 4°).
        const missing = known.filter((b) => !data.blocs.includes(b) && !usableBlocs.includes(b));
        if (missing.length && data.blocs.length > 0) throw refuse('titre-blocs-missing', `the titre ${rncp} needs ${missing.join(', ')}`);
        events.push({ type: 'TitreIssued', data: { candidateId, rncp, issuedOn: decidedOn, sessionId: decisionId, blocs: known, route: 'equivalence' } });
      }
      return events;
    }

    case 'RecordUsabilityCheck': {
      requireRegistered(state, command.candidateId);
      const { version, bloc, today } = command;
      const rncp = version.rncp;
      const acquisition = state.acquisitions.filter((a) => a.rncp === rncp && a.bloc === bloc && !a.annulled).at(-1);
      if (!acquisition || state.lapsed.includes(`${rncp}|${bloc}`) || activeTitre(state, rncp)) return [];
      const usableUntil = usableUntilOf(version, acquisition.acquiredOn);
      if (today <= usableUntil) return [];
      return [{ type: 'CcpUsabilityLapsed', data: { candidateId: command.candidateId, rncp, bloc, usableUntil } }];
    }

    case 'AnnulSessionDecision': {
      requireRegistered(state, command.candidateId);
      const { candidateId, sessionId } = command;
      const text = command.note ? { note: command.note } : {};
      const events: CandidateEvent[] = [];
      for (const t of state.titres.filter((t) => t.sessionId === sessionId && !t.annulled)) {
        events.push({ type: 'TitreAnnulled', data: { candidateId, rncp: t.rncp, sessionId, ...text } });
      }
      for (const a of state.acquisitions.filter((a) => a.sessionId === sessionId && !a.annulled)) {
        events.push({ type: 'CcpAcquisitionAnnulled', data: { candidateId, rncp: a.rncp, bloc: a.bloc, sessionId, ...text } });
      }
      return events;
    }

    case 'ReserveCertificateCode': {
      requireRegistered(state, command.candidateId);
      const { type: _, ...data } = command;
      if (state.reservations[data.issuanceKey]) return [];
      return [{ type: 'CertificateCodeReserved', data }];
    }

    case 'Notify': {
      requireRegistered(state, command.candidateId);
      const { type: _, ...data } = command;
      if (state.notifications.includes(data.notificationKey)) return [];
      return [{ type: 'CandidateNotified', data }];
    }

    case 'RecordInsertionSurvey': {
      requireRegistered(state, command.candidateId);
      // Erasure ends the processing of the person's data: a survey of their situation is such processing.
      if (state.erased) throw refuse('candidate-erased', `the personal data of candidate ${command.candidateId} were erased: no survey is recorded for them`);
      const { type: _, ...data } = command;
      if (!state.titres.some((t) => !t.annulled) && !state.acquisitions.some((a) => !a.annulled)) {
        throw refuse('nothing-certified', 'insertion surveys concern candidates who obtained a titre or a bloc');
      }
      const same = state.surveys.find((s) => s.horizon === data.horizon);
      if (same?.situation === data.situation) return [];
      if (same) throw conflict('survey-already-recorded', `the ${data.horizon} survey is already recorded`);
      return [{ type: 'InsertionSurveyRecorded', data }];
    }

    case 'ReserveTitreSitting': {
      requireRegistered(state, command.candidateId);
      const { type: _, ...data } = command;
      const sitting = state.titreSittings[data.rncp];
      if (sitting === data.sessionId) return [];
      // Two titres of one version cannot both be issued (rule 8): one titre session at a time, until its PV decides.
      if (sitting) {
        throw conflict('already-sitting-titre-session', `candidate ${data.candidateId} sits the titre session ${sitting} of ${data.rncp}: another one waits until its PV decides`);
      }
      return [{ type: 'TitreSittingReserved', data }];
    }

    case 'ReleaseTitreSitting': {
      const { type: _, ...data } = command;
      if (state.titreSittings[data.rncp] !== data.sessionId) return [];
      return [{ type: 'TitreSittingReleased', data }];
    }

    default:
      return assertNever(command);
  }
}

function withoutSitting(sittings: Record<string, string>, { rncp, sessionId }: { rncp: string; sessionId: string }): Record<string, string> {
  if (sittings[rncp] !== sessionId) return sittings;
  const { [rncp]: _, ...rest } = sittings;
  return rest;
}

function evolve(state: CandidateState, event: CandidateEvent): CandidateState {
  switch (event.type) {
    case 'CandidateRegistered':
      return { ...state, registered: true, registeredBy: event.data.registeredBy };
    case 'PersonalDataErased':
      return { ...state, erased: true };
    case 'CcpAcquired': {
      const { rncp, bloc, acquiredOn, via } = event.data;
      return {
        ...state,
        acquisitions: [...state.acquisitions, { rncp, bloc, acquiredOn, sessionId: via.kind === 'session' ? via.sessionId : undefined, annulled: false }],
        lapsed: state.lapsed.filter((k) => k !== `${rncp}|${bloc}`),
      };
    }
    case 'TitreIssued':
      return {
        ...state,
        titres: [...state.titres, { rncp: event.data.rncp, sessionId: event.data.sessionId, issuedOn: event.data.issuedOn, route: event.data.route, annulled: false }],
      };
    case 'SessionOutcomeRecorded':
      // The PV decided for the candidate: the seat at that titre session is free again.
      return { ...state, outcomes: [...state.outcomes, event.data], titreSittings: withoutSitting(state.titreSittings, event.data) };
    case 'TitreSittingReserved':
      return { ...state, titreSittings: { ...state.titreSittings, [event.data.rncp]: event.data.sessionId } };
    case 'TitreSittingReleased':
      return { ...state, titreSittings: withoutSitting(state.titreSittings, event.data) };
    case 'CcsAcquired':
      return { ...state, ccs: [...state.ccs, { rncp: event.data.rncp, ccs: event.data.ccs, sessionId: event.data.sessionId }] };
    case 'VaeRecevabiliteDecided':
      return { ...state, vaeRecevable: [...state.vaeRecevable, event.data.rncp] };
    case 'EquivalenceGranted':
      return { ...state, equivalences: [...state.equivalences, event.data.decisionId] };
    case 'TrainingDeclared':
      return { ...state, trainings: [...state.trainings, { rncp: event.data.rncp, route: event.data.route, endsOn: event.data.endsOn }] };
    case 'CcpUsabilityLapsed':
      return { ...state, lapsed: [...state.lapsed, `${event.data.rncp}|${event.data.bloc}`] };
    case 'CcpAcquisitionAnnulled':
      return {
        ...state,
        acquisitions: state.acquisitions.map((a) =>
          a.rncp === event.data.rncp && a.bloc === event.data.bloc && a.sessionId === event.data.sessionId ? { ...a, annulled: true } : a,
        ),
      };
    case 'TitreAnnulled':
      return { ...state, titres: state.titres.map((t) => (t.rncp === event.data.rncp && t.sessionId === event.data.sessionId ? { ...t, annulled: true } : t)) };
    case 'CertificateCodeReserved':
      return { ...state, reservations: { ...state.reservations, [event.data.issuanceKey]: event.data } };
    case 'CandidateNotified':
      return { ...state, notifications: [...state.notifications, event.data.notificationKey] };
    case 'InsertionSurveyRecorded':
      return { ...state, surveys: [...state.surveys, { horizon: event.data.horizon, situation: event.data.situation }] };
    default:
      return state;
  }
}

export const candidate: Decider<CandidateCommand, CandidateState, CandidateEvent> = { decide, evolve, initialState };

/**
 * A candidate's state from their events, by the decider's own evolve: for a decision taken on another aggregate
 * (a session's), which reads the candidate without applying the candidate's rules, and whose bundle then carries
 * the fold without decide (issue 15).
 */
export const candidateStateOf = (events: readonly CandidateEvent[]): CandidateState => events.reduce(evolve, initialState);
