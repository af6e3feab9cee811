import type { AccessRoute, CertificationVersion } from '../events/certification.js';
import type { LedgerEvent } from '../events/registry.js';
import type { CompetenceResult, DeliberationOutcome, JuryMember, SessionKind } from '../events/session.js';
import { coversEveryDate, type DateWindow } from './dates.js';
import { assertNever, type Decider } from './decider.js';
import { conflict, forbidden, notFound, refuse } from './errors.js';

export type SessionEvent = Extract<
  LedgerEvent,
  {
    type:
      | 'SessionScheduled'
      | 'JuryConstituted'
      | 'CandidateEnrolled'
      | 'JurorRecused'
      | 'AssessmentRecorded'
      | 'DeliberationProposed'
      | 'DeliberationSigned'
      | 'DeliberationFinalised'
      | 'PvValidated'
      | 'DecisionAnnulled';
  }
>;

/** What the session needs to know of its centre (loaded from the centre's stream by the handler). */
export interface CentreFacts {
  centreId: string;
  agrements: (DateWindow & { rncp: string })[];
}

/** What the session needs to know of a juror (loaded from the juror's stream by the handler). */
export interface JurorFacts {
  jurorId: string;
  independent: boolean;
  habilitations: (DateWindow & { rncp: string })[];
}

export interface AssessedCompetence {
  code: string;
  result: CompetenceResult;
}

/**
 * Commands carry who acts (`actingCentre`, `jurorId`, `validatedBy`, `annulledBy`: the caller's sub), the
 * ledger's date (`today`, a calendar date) and the facts of other aggregates, loaded by the handler.
 */
export type SessionCommand =
  | {
      type: 'ScheduleSession';
      sessionId: string;
      rncp: string;
      kind: SessionKind;
      /** Required for ccp; for titre, omitted or every bloc of the version. */
      blocs?: string[];
      centreId: string;
      startsOn: string;
      endsOn: string;
      actingCentre: string;
      today: string;
      certification: CertificationVersion | undefined;
      centre: CentreFacts | undefined;
    }
  | {
      type: 'ConstituteJury';
      actingCentre: string;
      members: string[];
      /** The facts of the members found; a member without facts is an unknown juror. */
      jurors: JurorFacts[];
      certification: CertificationVersion;
    }
  | {
      type: 'EnrolCandidate';
      actingCentre: string;
      candidateId: string;
      /** Whether the candidate's stream exists (loaded by the handler). */
      candidateRegistered: boolean;
      route: AccessRoute;
      /** Defaults to every bloc of the session. */
      blocs?: string[];
      today: string;
      certification: CertificationVersion;
    }
  | { type: 'RecuseJuror'; jurorId: string; candidateId: string; reason: string; certification: CertificationVersion }
  | {
      type: 'RecordAssessment';
      jurorId: string;
      candidateId: string;
      bloc: string;
      competences: AssessedCompetence[];
      today: string;
      certification: CertificationVersion;
    }
  | {
      type: 'ProposeDeliberation';
      jurorId: string;
      candidateId: string;
      outcome: DeliberationOutcome;
      blocs: string[];
      finalInterviewHeld: boolean;
      today: string;
      certification: CertificationVersion;
    }
  | { type: 'SignDeliberation'; jurorId: string; candidateId: string }
  | { type: 'ValidatePv'; validatedBy: string; today: string }
  | { type: 'AnnulDecision'; candidateId: string; reason: string; legalBasis: string; annulledBy: string };

export interface Deliberation {
  outcome: DeliberationOutcome;
  blocs: string[];
  finalInterviewHeld: boolean;
  proposedBy: string;
  signedBy: string[];
  final: boolean;
}

export interface OpenSession {
  status: 'scheduled';
  sessionId: string;
  rncp: string;
  kind: SessionKind;
  blocs: string[];
  centreId: string;
  startsOn: string;
  endsOn: string;
  jury: JuryMember[];
  enrolments: Record<string, { route: AccessRoute; blocs: string[] }>;
  /** candidateId → the jurors who recused themselves for that candidate. */
  recusals: Record<string, string[]>;
  /** `jurorId|candidateId|bloc` → competence code → the latest result that juror recorded. */
  assessments: Record<string, Record<string, CompetenceResult>>;
  deliberations: Record<string, Deliberation>;
  pv?: { validatedBy: string; validatedOn: string };
  annulments: Record<string, { reason: string; legalBasis: string; annulledBy: string }>;
}

export type SessionState = { status: 'unknown' } | OpenSession;

export const sessionStream = (sessionId: string) => `session#${sessionId}`;

const initialState: SessionState = { status: 'unknown' };

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((x) => set.has(x));
};
const assessmentKey = (jurorId: string, candidateId: string, bloc: string) => `${jurorId}|${candidateId}|${bloc}`;
const duplicates = (values: readonly string[]) => values.filter((v, i) => values.indexOf(v) !== i);

/** The jury members who sit for this candidate: everyone but those who recused themselves for them. */
export function sittingFor(state: OpenSession, candidateId: string): JuryMember[] {
  const recused = state.recusals[candidateId] ?? [];
  return state.jury.filter((m) => !recused.includes(m.jurorId));
}

function checkJuryRules(members: readonly JuryMember[], certification: CertificationVersion, afterRecusal: boolean) {
  const { minMembers, minIndependent } = certification.jury;
  const suffix = afterRecusal ? '-after-recusal' : '';
  const who = afterRecusal ? 'the members left after this recusal' : 'the jury';
  if (members.length < minMembers) {
    throw refuse(`jury-too-small${suffix}`, `${certification.rncp} needs at least ${minMembers} jury members; ${who}: ${members.length}`);
  }
  const independent = members.filter((m) => m.independent).length;
  if (independent < minIndependent) {
    throw refuse(`jury-lacks-independent${suffix}`, `${certification.rncp} needs at least ${minIndependent} independent jury members; ${who}: ${independent}`);
  }
}

function decide(command: SessionCommand, state: SessionState): SessionEvent[] {
  if (command.type === 'ScheduleSession') return schedule(command, state);
  if (state.status === 'unknown') throw notFound('session-not-found', 'no such session');
  switch (command.type) {
    case 'ConstituteJury':
      return constituteJury(command, state);
    case 'EnrolCandidate':
      return enrol(command, state);
    case 'RecuseJuror':
      return recuse(command, state);
    case 'RecordAssessment':
      return assess(command, state);
    case 'ProposeDeliberation':
      return propose(command, state);
    case 'SignDeliberation':
      return sign(command, state);
    case 'ValidatePv':
      return validatePv(command, state);
    case 'AnnulDecision':
      return annul(command, state);
    default:
      return assertNever(command);
  }
}

function schedule(command: Extract<SessionCommand, { type: 'ScheduleSession' }>, state: SessionState): SessionEvent[] {
  const { sessionId, rncp, kind, centreId, startsOn, endsOn, certification, centre } = command;
  if (command.actingCentre !== centreId) throw forbidden('not-your-centre', 'a centre schedules sessions for itself only');
  if (state.status !== 'unknown') {
    // Session ids are generated per request: an existing stream is this very request, retried.
    const same = state.rncp === rncp && state.kind === kind && state.centreId === centreId && state.startsOn === startsOn && state.endsOn === endsOn;
    if (same && sameSet(state.blocs, command.blocs ?? state.blocs)) return [];
    throw conflict('session-already-scheduled', `session ${sessionId} already exists`);
  }
  if (!centre) throw notFound('centre-not-found', `no centre ${centreId}`);
  if (!certification) throw notFound('certification-not-found', `no certification ${rncp}`);
  if (endsOn < startsOn) throw refuse('invalid-session-dates', 'endsOn must not precede startsOn');
  if (startsOn < command.today) throw refuse('session-in-the-past', `a session cannot start before today (${command.today})`);
  if (startsOn < certification.validFrom || endsOn > certification.validUntil) {
    throw refuse('certification-not-valid-on-dates', `${rncp} is valid from ${certification.validFrom} to ${certification.validUntil}`);
  }
  const versionBlocs = certification.blocs.map((b) => b.code);
  const requested = command.blocs ?? [];
  const unknown = requested.filter((code) => !versionBlocs.includes(code));
  if (unknown.length) throw refuse('unknown-bloc', `no bloc ${unknown.join(', ')} in ${rncp}`);
  if (duplicates(requested).length) throw refuse('duplicate-bloc', 'each bloc is listed once');
  let blocs: string[];
  if (kind === 'titre') {
    if (command.blocs && !sameSet(requested, versionBlocs)) {
      throw refuse('titre-session-covers-all-blocs', `a titre session examines every bloc of ${rncp}: ${versionBlocs.join(', ')}`);
    }
    blocs = versionBlocs;
  } else {
    if (requested.length === 0) throw refuse('ccp-session-needs-blocs', 'a ccp session names the blocs it examines');
    blocs = versionBlocs.filter((code) => requested.includes(code));
  }
  const agrements = centre.agrements.filter((a) => a.rncp === rncp);
  if (!coversEveryDate(agrements, startsOn, endsOn)) {
    throw refuse('centre-not-agreed', `centre ${centreId} has no agrément for ${rncp} on every date from ${startsOn} to ${endsOn}`);
  }
  return [{ type: 'SessionScheduled', data: { sessionId, rncp, kind, blocs, centreId, startsOn, endsOn } }];
}

function ownedOpen(state: OpenSession, actingCentre: string) {
  if (state.centreId !== actingCentre) throw forbidden('not-your-session', `session ${state.sessionId} belongs to another centre`);
  if (state.pv) throw refuse('session-closed', 'the procès-verbal is validated: the session can no longer change');
}

function member(state: OpenSession, jurorId: string): JuryMember {
  const found = state.jury.find((m) => m.jurorId === jurorId);
  if (!found) throw forbidden('not-a-jury-member', `juror ${jurorId} is not on the jury of session ${state.sessionId}`);
  if (state.pv) throw refuse('session-closed', 'the procès-verbal is validated: the session can no longer change');
  return found;
}

function enrolled(state: OpenSession, candidateId: string) {
  const enrolment = state.enrolments[candidateId];
  if (!enrolment) throw refuse('candidate-not-enrolled', `candidate ${candidateId} is not enrolled in session ${state.sessionId}`);
  return enrolment;
}

function notRecused(state: OpenSession, jurorId: string, candidateId: string) {
  if ((state.recusals[candidateId] ?? []).includes(jurorId)) {
    throw refuse('juror-recused', `juror ${jurorId} recused themself for candidate ${candidateId}`);
  }
}

function started(state: OpenSession, today: string) {
  if (today < state.startsOn) throw refuse('session-not-started', `session ${state.sessionId} starts on ${state.startsOn}`);
}

function constituteJury(command: Extract<SessionCommand, { type: 'ConstituteJury' }>, state: OpenSession): SessionEvent[] {
  ownedOpen(state, command.actingCentre);
  const { certification } = command;
  if (duplicates(command.members).length) throw refuse('duplicate-jury-member', `listed twice: ${duplicates(command.members).join(', ')}`);
  const members = command.members.map((jurorId) => {
    const facts = command.jurors.find((j) => j.jurorId === jurorId);
    if (!facts) throw notFound('juror-not-found', `no juror ${jurorId}`);
    return facts;
  });
  const jury = members.map((m) => ({ jurorId: m.jurorId, independent: m.independent }));
  if (sameSet(jury.map((m) => m.jurorId), state.jury.map((m) => m.jurorId))) return [];
  const locked = Object.keys(state.assessments).length > 0 || Object.keys(state.deliberations).length > 0;
  if (locked) throw refuse('jury-locked', 'the jury cannot change once assessments or deliberations are recorded');
  checkJuryRules(jury, certification, false);
  for (const m of members) {
    const windows = m.habilitations.filter((h) => h.rncp === state.rncp);
    if (!coversEveryDate(windows, state.startsOn, state.endsOn)) {
      throw refuse('juror-not-habilitated', `juror ${m.jurorId} is not habilitated for ${state.rncp} on every date from ${state.startsOn} to ${state.endsOn}`);
    }
  }
  const next = { ...state, jury };
  for (const candidateId of Object.keys(state.recusals)) checkJuryRules(sittingFor(next, candidateId), certification, true);
  return [{ type: 'JuryConstituted', data: { members: jury } }];
}

function enrol(command: Extract<SessionCommand, { type: 'EnrolCandidate' }>, state: OpenSession): SessionEvent[] {
  ownedOpen(state, command.actingCentre);
  const { candidateId, route, certification } = command;
  if (!command.candidateRegistered) throw notFound('candidate-not-found', `no candidate ${candidateId}`);
  const requested = command.blocs ?? state.blocs;
  const unknown = requested.filter((code) => !state.blocs.includes(code));
  if (unknown.length) throw refuse('unknown-bloc', `session ${state.sessionId} does not examine ${unknown.join(', ')}`);
  if (requested.length === 0) throw refuse('enrolment-needs-blocs', 'an enrolment names at least one bloc');
  if (duplicates(requested).length) throw refuse('duplicate-bloc', 'each bloc is listed once');
  const blocs = state.blocs.filter((code) => requested.includes(code));
  const existing = state.enrolments[candidateId];
  if (existing) {
    if (existing.route === route && sameSet(existing.blocs, blocs)) return [];
    throw conflict('candidate-already-enrolled', `candidate ${candidateId} is already enrolled in session ${state.sessionId}`);
  }
  if (command.today > state.endsOn) throw refuse('session-ended', `session ${state.sessionId} ended on ${state.endsOn}`);
  if (!certification.accessRoutes.allowed.includes(route)) {
    throw refuse('route-not-allowed', `${certification.rncp} is not open to the access route ${route}`);
  }
  return [{ type: 'CandidateEnrolled', data: { candidateId, route, blocs } }];
}

function recuse(command: Extract<SessionCommand, { type: 'RecuseJuror' }>, state: OpenSession): SessionEvent[] {
  const { jurorId, candidateId, reason, certification } = command;
  member(state, jurorId);
  enrolled(state, candidateId);
  if ((state.recusals[candidateId] ?? []).includes(jurorId)) return [];
  const assessed = state.blocs.some((bloc) => state.assessments[assessmentKey(jurorId, candidateId, bloc)]);
  if (assessed || state.deliberations[candidateId]) {
    throw refuse('recusal-too-late', `juror ${jurorId} already assessed candidate ${candidateId}, or the deliberation is proposed`);
  }
  const next = { ...state, recusals: { ...state.recusals, [candidateId]: [...(state.recusals[candidateId] ?? []), jurorId] } };
  checkJuryRules(sittingFor(next, candidateId), certification, true);
  return [{ type: 'JurorRecused', data: { jurorId, candidateId, reason } }];
}

function assess(command: Extract<SessionCommand, { type: 'RecordAssessment' }>, state: OpenSession): SessionEvent[] {
  const { jurorId, candidateId, bloc, competences, certification } = command;
  member(state, jurorId);
  const enrolment = enrolled(state, candidateId);
  notRecused(state, jurorId, candidateId);
  started(state, command.today);
  if (!state.blocs.includes(bloc)) throw refuse('unknown-bloc', `session ${state.sessionId} does not examine ${bloc}`);
  if (!enrolment.blocs.includes(bloc)) throw refuse('bloc-not-enrolled', `candidate ${candidateId} is not enrolled for ${bloc}`);
  const known = certification.blocs.find((b) => b.code === bloc)?.competences.map((c) => c.code) ?? [];
  const unknown = competences.map((c) => c.code).filter((code) => !known.includes(code));
  if (unknown.length) throw refuse('unknown-competence', `${bloc} has no competence ${unknown.join(', ')}`);
  const codes = competences.map((c) => c.code);
  if (duplicates(codes).length) throw refuse('duplicate-competence', `assessed twice: ${duplicates(codes).join(', ')}`);
  if (state.deliberations[candidateId]) {
    throw refuse('assessments-closed', `the deliberation for candidate ${candidateId} is proposed: assessments are closed`);
  }
  const recorded = state.assessments[assessmentKey(jurorId, candidateId, bloc)] ?? {};
  if (competences.every((c) => recorded[c.code] === c.result)) return [];
  return [{ type: 'AssessmentRecorded', data: { jurorId, candidateId, bloc, competences } }];
}

function propose(command: Extract<SessionCommand, { type: 'ProposeDeliberation' }>, state: OpenSession): SessionEvent[] {
  const { jurorId, candidateId, outcome, finalInterviewHeld, certification } = command;
  member(state, jurorId);
  const enrolment = enrolled(state, candidateId);
  notRecused(state, jurorId, candidateId);
  started(state, command.today);
  if (state.deliberations[candidateId]) {
    throw conflict('deliberation-already-proposed', `a deliberation for candidate ${candidateId} is already proposed: sign it instead`);
  }
  const blocs = outcomeBlocs(command, state, enrolment.blocs, certification);
  const proposed: SessionEvent[] = [
    { type: 'DeliberationProposed', data: { candidateId, outcome, blocs, finalInterviewHeld, proposedBy: jurorId } },
    { type: 'DeliberationSigned', data: { candidateId, jurorId } },
  ];
  return [...proposed, ...finalisation(state, candidateId, [jurorId], { outcome, blocs, finalInterviewHeld })];
}

/** The blocs a deliberation awards, in the session's order, after checking they fit the outcome. */
function outcomeBlocs(
  command: Extract<SessionCommand, { type: 'ProposeDeliberation' }>,
  state: OpenSession,
  enrolledBlocs: string[],
  certification: CertificationVersion,
): string[] {
  const { outcome, blocs } = command;
  if (duplicates(blocs).length) throw refuse('duplicate-bloc', 'each bloc is listed once');
  const notEnrolled = blocs.filter((code) => !enrolledBlocs.includes(code));
  switch (outcome) {
    case 'titre': {
      if (state.kind !== 'titre') throw refuse('titre-needs-titre-session', 'a ccp session awards CCPs, not the titre');
      const all = certification.blocs.map((b) => b.code);
      if (!sameSet(enrolledBlocs, all) || (blocs.length > 0 && !sameSet(blocs, all))) {
        throw refuse('titre-needs-all-blocs', `the titre is awarded with every bloc of ${certification.rncp}: ${all.join(', ')}`);
      }
      if (certification.finalInterviewRequired && !command.finalInterviewHeld) {
        throw refuse('final-interview-required', `${certification.rncp} awards the titre only after the entretien final`);
      }
      return all;
    }
    case 'ccp':
      if (blocs.length === 0) throw refuse('ccp-needs-blocs', 'a ccp outcome names the blocs acquired');
      if (notEnrolled.length) throw refuse('bloc-not-enrolled', `candidate ${command.candidateId} is not enrolled for ${notEnrolled.join(', ')}`);
      return state.blocs.filter((code) => blocs.includes(code));
    case 'ajourne':
    case 'absent':
      if (blocs.length) throw refuse('outcome-takes-no-blocs', `an ${outcome} outcome acquires no bloc`);
      return [];
    default:
      return assertNever(outcome);
  }
}

/** DeliberationFinalised when, with `signing`, every member sitting for the candidate has signed. */
function finalisation(state: OpenSession, candidateId: string, signedBy: string[], decision: Omit<Deliberation, 'proposedBy' | 'signedBy' | 'final'>): SessionEvent[] {
  const complete = sittingFor(state, candidateId).every((m) => signedBy.includes(m.jurorId));
  if (!complete) return [];
  const { outcome, blocs, finalInterviewHeld } = decision;
  return [{ type: 'DeliberationFinalised', data: { candidateId, outcome, blocs, finalInterviewHeld } }];
}

function sign(command: Extract<SessionCommand, { type: 'SignDeliberation' }>, state: OpenSession): SessionEvent[] {
  const { jurorId, candidateId } = command;
  member(state, jurorId);
  enrolled(state, candidateId);
  notRecused(state, jurorId, candidateId);
  const deliberation = state.deliberations[candidateId];
  if (!deliberation) throw notFound('deliberation-not-found', `no deliberation is proposed for candidate ${candidateId}`);
  if (deliberation.signedBy.includes(jurorId)) return [];
  const signedBy = [...deliberation.signedBy, jurorId];
  return [{ type: 'DeliberationSigned', data: { candidateId, jurorId } }, ...finalisation(state, candidateId, signedBy, deliberation)];
}

function validatePv(command: Extract<SessionCommand, { type: 'ValidatePv' }>, state: OpenSession): SessionEvent[] {
  if (state.pv) return [];
  if (command.today < state.endsOn) throw refuse('session-not-ended', `session ${state.sessionId} ends on ${state.endsOn}`);
  const candidates = Object.keys(state.enrolments);
  if (candidates.length === 0) throw refuse('no-candidates', `session ${state.sessionId} has no candidate`);
  const pending = candidates.filter((id) => !state.deliberations[id]?.final);
  if (pending.length) throw refuse('deliberations-incomplete', `no final deliberation yet for: ${pending.join(', ')}`);
  return [{ type: 'PvValidated', data: { validatedBy: command.validatedBy, validatedOn: command.today } }];
}

function annul(command: Extract<SessionCommand, { type: 'AnnulDecision' }>, state: OpenSession): SessionEvent[] {
  const { candidateId, reason, legalBasis, annulledBy } = command;
  if (!state.pv) throw refuse('pv-not-validated', 'only a decision of a validated procès-verbal can be annulled');
  if (!state.deliberations[candidateId]?.final) throw notFound('deliberation-not-found', `no final deliberation for candidate ${candidateId}`);
  const existing = state.annulments[candidateId];
  if (existing) {
    if (existing.reason === reason && existing.legalBasis === legalBasis) return [];
    throw conflict('decision-already-annulled', `the decision for candidate ${candidateId} is already annulled`);
  }
  return [{ type: 'DecisionAnnulled', data: { candidateId, reason, legalBasis, annulledBy } }];
}

function evolve(state: SessionState, event: SessionEvent): SessionState {
  if (event.type === 'SessionScheduled') {
    return { status: 'scheduled', ...event.data, jury: [], enrolments: {}, recusals: {}, assessments: {}, deliberations: {}, annulments: {} };
  }
  if (state.status === 'unknown') return state;
  switch (event.type) {
    case 'JuryConstituted':
      return { ...state, jury: event.data.members };
    case 'CandidateEnrolled': {
      const { candidateId, route, blocs } = event.data;
      return { ...state, enrolments: { ...state.enrolments, [candidateId]: { route, blocs } } };
    }
    case 'JurorRecused': {
      const { candidateId, jurorId } = event.data;
      return { ...state, recusals: { ...state.recusals, [candidateId]: [...(state.recusals[candidateId] ?? []), jurorId] } };
    }
    case 'AssessmentRecorded': {
      const { jurorId, candidateId, bloc, competences } = event.data;
      const key = assessmentKey(jurorId, candidateId, bloc);
      const results = { ...state.assessments[key] };
      for (const c of competences) results[c.code] = c.result;
      return { ...state, assessments: { ...state.assessments, [key]: results } };
    }
    case 'DeliberationProposed': {
      const { candidateId, outcome, blocs, finalInterviewHeld, proposedBy } = event.data;
      const deliberation: Deliberation = { outcome, blocs, finalInterviewHeld, proposedBy, signedBy: [], final: false };
      return { ...state, deliberations: { ...state.deliberations, [candidateId]: deliberation } };
    }
    case 'DeliberationSigned': {
      const { candidateId, jurorId } = event.data;
      const deliberation = state.deliberations[candidateId];
      if (!deliberation) return state;
      return { ...state, deliberations: { ...state.deliberations, [candidateId]: { ...deliberation, signedBy: [...deliberation.signedBy, jurorId] } } };
    }
    case 'DeliberationFinalised': {
      const deliberation = state.deliberations[event.data.candidateId];
      if (!deliberation) return state;
      return { ...state, deliberations: { ...state.deliberations, [event.data.candidateId]: { ...deliberation, final: true } } };
    }
    case 'PvValidated':
      return { ...state, pv: event.data };
    case 'DecisionAnnulled': {
      const { candidateId, ...annulment } = event.data;
      return { ...state, annulments: { ...state.annulments, [candidateId]: annulment } };
    }
    default:
      return assertNever(event);
  }
}

export const session: Decider<SessionCommand, SessionState, SessionEvent> = { decide, evolve, initialState };
