import type { AccessRoute, CertificationVersion } from '../events/certification.js';
import type { LedgerEvent } from '../events/registry.js';
import type { TitreRoute } from '../events/candidate.js';
import type { CompetenceResult, DeliberationOutcome, JuryMember, SessionKind } from '../events/session.js';
import { graceUntilOf, inGrace } from './certification.js';
import { addYears, coversEveryDate, type DateWindow } from './dates.js';
import { assertNever, type Decider } from './decider.js';
import { conflict, forbidden, notFound, refuse } from './errors.js';
import { requireTerritory } from './territory.js';

export type SessionEvent = Extract<
  LedgerEvent,
  {
    type:
      | 'SessionScheduled'
      | 'JuryConstituted'
      | 'CandidateEnrolled'
      | 'CandidateWithdrawn'
      | 'JurorRecused'
      | 'AssessmentRecorded'
      | 'DeliberationProposed'
      | 'DeliberationSigned'
      | 'DeliberationFinalised'
      | 'PvValidated'
      | 'DecisionAnnulled'
      | 'JurorAddedForCandidate'
      | 'AccommodationDecided';
  }
>;

/** What the session needs to know of its centre (loaded from the centre's stream by the handler). */
export interface CentreFacts {
  centreId: string;
  region?: string;
  agrements: (DateWindow & { rncp: string; ccs?: string[] })[];
}

/**
 * What the session needs to know of a candidate for the session's version (loaded by the handler from the
 * candidate's stream and the livret).
 */
export interface CandidateFacts {
  candidateId: string;
  /** The centre that registered the candidate, and so holds their file: the only one that may enrol them. */
  registeredBy: string;
  /** The blocs of the version the candidate holds and may still use toward its titre today: acquired at a session, carried by a revision's correspondences, or granted by équivalence. */
  usableBlocs: string[];
  holdsTitre: boolean;
  /** The last decision on a training-route enrolment in this version short of the titre or of every bloc enrolled on (ajourné, absent, partial success). */
  lastShortfall?: { sessionId: string; decidedOn: string };
  /** Trainings declared for this version, by their end dates. */
  trainings: { endsOn: string }[];
  /** The DREETS found their VAE request for this version admissible. */
  vaeRecevable: boolean;
  /** The titre session of this version the candidate sits, whose PV has not decided for them yet. */
  titreSittingAt?: string;
}

/** Routes through a training: after a shortfall, such a candidate may sit again within a year without a new training. */
export const TRAINING_ROUTES: readonly AccessRoute[] = ['formation_continue', 'apprentissage', 'contrat_professionnalisation'];

/** The last day a training-route candidate may sit again without declaring a new training (règlement général des sessions). */
export const resitUntil = (decidedOn: string) => addYears(decidedOn, 1);

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
      /** Undefined when there is no such candidate. */
      candidate: CandidateFacts | undefined;
      route: AccessRoute;
      /** Defaults to every bloc of the session; at a titre session, only the blocs the candidate still lacks. */
      blocs?: string[];
      today: string;
      certification: CertificationVersion;
    }
  | {
      /** DELETE /sessions/{sessionId}/enrolments/{candidateId}: the candidate will not sit this session. */
      type: 'WithdrawCandidate';
      actingCentre: string;
      candidateId: string;
    }
  | {
      type: 'RecuseJuror';
      jurorId: string;
      candidateId: string;
      /** Who declares it: the juror themself, the session's centre, or a DREETS agent. */
      declaredBy: { role: 'juror' | 'centre' | 'dreets'; id: string };
      /** A DREETS agent's region and the region of the session's centre: the DREETS acts in its territory (rule 16). */
      actingRegion: string | undefined;
      centreRegion: string | undefined;
      certification: CertificationVersion;
    }
  | {
      /** The centre adds habilitated jurors for one candidate whose jury recusals left below the minimum. */
      type: 'AddJurorsForCandidate';
      actingCentre: string;
      candidateId: string;
      jurorIds: string[];
      /** The facts of the jurors found; one without facts is an unknown juror. */
      jurors: JurorFacts[];
      certification: CertificationVersion;
    }
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
      /** Whether the candidate presented their dossier professionnel (rule 17); a titre needs it. */
      dossierProfessionnel?: 'presented' | 'missing';
      /**
       * The jury gave its reason for awarding a bloc its own assessments found short; without it, refused. The text
       * is a note in the candidate's vault entry (`note`; absent when their data were erased), never in the event.
       */
      assessmentsOverridden?: { note?: string };
      /** The blocs of the version the candidate may use toward the titre today (CandidateFacts.usableBlocs). */
      usableBlocs: string[];
      today: string;
      certification: CertificationVersion;
    }
  | { type: 'SignDeliberation'; jurorId: string; candidateId: string; certification: CertificationVersion }
  | {
      type: 'DecideAccommodation';
      candidateId: string;
      decidedBy: string;
      /** The agent's region and the region of the session's centre: the DREETS decides in its territory (rule 16). */
      actingRegion: string | undefined;
      centreRegion: string | undefined;
    }
  | {
      type: 'ValidatePv';
      validatedBy: string;
      today: string;
      /** The agent's region and the region of the session's centre: the DREETS validates the PVs of its territory. */
      actingRegion: string | undefined;
      centreRegion: string | undefined;
    }
  | {
      type: 'AnnulDecision';
      candidateId: string;
      /** The reason and legal basis, as a note in the candidate's vault entry (absent when their data were erased). */
      note: string | undefined;
      annulledBy: string;
      /** The agent's region and the region of the session's centre, whose DREETS validated the PV: only it annuls (rule 16). */
      actingRegion: string | undefined;
      centreRegion: string | undefined;
    };

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
  /** candidateId → the jurors recused for that candidate. */
  recusals: Record<string, string[]>;
  /** candidateId → the jurors added to the jury for that candidate only. */
  added: Record<string, JuryMember[]>;
  /** The candidates for whom accommodations were decided. */
  accommodated: string[];
  /** `jurorId|candidateId|bloc` → competence code → the latest result that juror recorded. */
  assessments: Record<string, Record<string, CompetenceResult>>;
  deliberations: Record<string, Deliberation>;
  pv?: { validatedBy: string; validatedOn: string };
  /** `note`: the reason's note in the candidate's vault; `reason` and `legalBasis`: as DecisionAnnulled v1 stored them. */
  annulments: Record<string, { note?: string; reason?: string; legalBasis?: string; annulledBy: string }>;
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

/** The jury members who sit for this candidate: the jury and those added for them, but those recused for them. */
export function sittingFor(state: OpenSession, candidateId: string): JuryMember[] {
  const recused = state.recusals[candidateId] ?? [];
  return [...state.jury, ...(state.added[candidateId] ?? [])].filter((m) => !recused.includes(m.jurorId));
}

/** How a titre decided at this session for this enrolment was obtained (DESIGN.md rule 10). */
export function titreRouteOf(session: { kind: SessionKind; blocs: readonly string[] }, enrolment: { route: AccessRoute; blocs: readonly string[] }): TitreRoute {
  if (session.kind !== 'titre' || !sameSet(enrolment.blocs, session.blocs)) return 'capitalisation';
  return enrolment.route === 'vae' ? 'vae' : 'session';
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
    case 'WithdrawCandidate':
      return withdraw(command, state);
    case 'RecuseJuror':
      return recuse(command, state);
    case 'AddJurorsForCandidate':
      return addJurorsFor(command, state);
    case 'DecideAccommodation':
      requireTerritory(command.actingRegion, command.centreRegion, `session ${state.sessionId}`);
      if (state.pv) throw refuse('session-closed', 'the procès-verbal is validated: the session can no longer change');
      enrolled(state, command.candidateId);
      return [{ type: 'AccommodationDecided', data: { candidateId: command.candidateId, decidedBy: command.decidedBy } }];
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
  // The acting centre is this centre (above): a token for a centre no DREETS registered schedules nothing.
  if (!centre) throw forbidden('centre-not-registered', `centre ${centreId} is not registered: no DREETS has registered it to hold sessions`);
  if (!certification) throw notFound('certification-not-found', `no certification ${rncp}`);
  if (endsOn < startsOn) throw refuse('invalid-session-dates', 'endsOn must not precede startsOn');
  if (startsOn < command.today) throw refuse('session-in-the-past', `a session cannot start before today (${command.today})`);
  // After the version ends, sessions go on through its grace years, for holders of its usable CCPs (rule 11).
  if (startsOn < certification.validFrom || endsOn > graceUntilOf(certification)) {
    const grace = graceUntilOf(certification) > certification.validUntil ? `, and for holders of its CCPs until ${graceUntilOf(certification)}` : '';
    throw refuse('certification-not-valid-on-dates', `${rncp} is valid from ${certification.validFrom} to ${certification.validUntil}${grace}`);
  }
  // A ccs session examines CCS of the version (DESIGN.md rule 14), the others its blocs.
  const versionBlocs = (kind === 'ccs' ? certification.ccs : certification.blocs).map((b) => b.code);
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
  if (kind === 'ccs') {
    const forCcs = centre.agrements.filter((a) => a.rncp === rncp && blocs.every((code) => a.ccs?.includes(code)));
    if (!coversEveryDate(forCcs, startsOn, endsOn)) {
      throw refuse('centre-not-agreed-for-ccs', `centre ${centreId} has no agrément for the CCS ${blocs.join(', ')} of ${rncp} on every date from ${startsOn} to ${endsOn}`);
    }
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

function member(state: OpenSession, jurorId: string, candidateId?: string): JuryMember {
  const found = state.jury.find((m) => m.jurorId === jurorId) ?? (candidateId ? state.added[candidateId]?.find((m) => m.jurorId === jurorId) : undefined);
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
    throw refuse('juror-recused', `juror ${jurorId} is recused for candidate ${candidateId}`);
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
  if (
    sameSet(
      jury.map((m) => m.jurorId),
      state.jury.map((m) => m.jurorId),
    )
  )
    return [];
  // Once the jury has assessed or deliberated, members may still join it, never leave it.
  const locked = Object.keys(state.assessments).length > 0 || Object.keys(state.deliberations).length > 0;
  if (locked && !state.jury.every((m) => command.members.includes(m.jurorId))) {
    throw refuse('jury-locked', 'once assessments or deliberations are recorded, jury members may be added, never removed');
  }
  checkJuryRules(jury, certification, false);
  for (const m of members) habilitatedForSession(state, m);
  return [{ type: 'JuryConstituted', data: { members: jury } }];
}

function habilitatedForSession(state: OpenSession, juror: JurorFacts) {
  const windows = juror.habilitations.filter((h) => h.rncp === state.rncp);
  if (!coversEveryDate(windows, state.startsOn, state.endsOn)) {
    throw refuse('juror-not-habilitated', `juror ${juror.jurorId} is not habilitated for ${state.rncp} on every date from ${state.startsOn} to ${state.endsOn}`);
  }
}

function enrol(command: Extract<SessionCommand, { type: 'EnrolCandidate' }>, state: OpenSession): SessionEvent[] {
  ownedOpen(state, command.actingCentre);
  const { candidateId, route, certification, candidate } = command;
  if (!candidate) throw notFound('candidate-not-found', `no candidate ${candidateId}`);
  if (candidate.registeredBy !== command.actingCentre) throw forbidden('not-your-candidate', `candidate ${candidateId} was registered by another centre`);
  const requested = command.blocs ?? state.blocs;
  const unknown = requested.filter((code) => !state.blocs.includes(code));
  if (unknown.length) throw refuse('unknown-bloc', `session ${state.sessionId} does not examine ${unknown.join(', ')}`);
  if (duplicates(requested).length) throw refuse('duplicate-bloc', 'each bloc is listed once');
  const blocs = state.blocs.filter((code) => requested.includes(code));
  const existing = state.enrolments[candidateId];
  if (existing) {
    if (existing.route === route && sameSet(existing.blocs, blocs)) return [];
    throw conflict('candidate-already-enrolled', `candidate ${candidateId} is already enrolled in session ${state.sessionId}`);
  }
  // One titre session of a version at a time (rule 8: a second titre would fail at issuance). The candidate's stream
  // holds the seat (ReserveTitreSitting), so two enrolments racing on two sessions still meet there.
  if (state.kind === 'titre' && candidate.titreSittingAt && candidate.titreSittingAt !== state.sessionId) {
    throw conflict(
      'already-sitting-titre-session',
      `candidate ${candidateId} sits the titre session ${candidate.titreSittingAt} of ${certification.rncp}: another one waits until its PV decides`,
    );
  }
  if (command.today > state.endsOn) throw refuse('session-ended', `session ${state.sessionId} ended on ${state.endsOn}`);
  if (!certification.accessRoutes.allowed.includes(route)) {
    throw refuse('route-not-allowed', `${certification.rncp} is not open to the access route ${route}`);
  }
  if (route === 'vae' && !candidate.vaeRecevable) {
    throw refuse('vae-recevabilite-required', `candidate ${candidateId} enrols by VAE once the DREETS has found their request for ${certification.rncp} admissible`);
  }
  if (inGrace(certification, state.endsOn) && candidate.usableBlocs.length === 0) {
    throw refuse(
      'grace-year-holders-only',
      `${certification.rncp} ended on ${certification.validUntil}: until ${graceUntilOf(certification)} its sessions are open only to holders of its usable CCPs`,
    );
  }
  if (state.kind === 'titre') {
    // Capitalisation (art. 1 2° of the arrêté of 22/12/2015): at a titre session, a candidate may sit only the
    // blocs they still lack; every other bloc must be held and usable. Holding them all, they sit none.
    const notHeld = state.blocs.filter((code) => !blocs.includes(code) && !candidate.usableBlocs.includes(code));
    if (notHeld.length) throw refuse('titre-session-blocs-not-held', `candidate ${candidateId} neither sits nor holds ${notHeld.join(', ')}`);
    if (candidate.holdsTitre) throw conflict('titre-already-issued', `candidate ${candidateId} already holds the titre ${certification.rncp}`);
  } else if (blocs.length === 0) {
    throw refuse('enrolment-needs-blocs', 'an enrolment names at least one bloc');
  }
  if (state.kind === 'ccs' && !candidate.holdsTitre) throw refuse('ccs-needs-titre', `a CCS of ${certification.rncp} is open only to holders of its titre`);
  const shortfall = candidate.lastShortfall;
  // Sitting no bloc (the titre by capitalisation of blocs all held) is no re-sit: nothing is examined again.
  if (TRAINING_ROUTES.includes(route) && shortfall && blocs.length > 0 && state.startsOn > resitUntil(shortfall.decidedOn)) {
    const retrained = candidate.trainings.some((t) => t.endsOn > shortfall.decidedOn);
    if (!retrained) {
      throw refuse(
        'resit-window-passed',
        `candidate ${candidateId} could sit again without a new training until ${resitUntil(shortfall.decidedOn)} (decision of session ${shortfall.sessionId}); declare the new training first`,
      );
    }
  }
  return [{ type: 'CandidateEnrolled', data: { candidateId, route, blocs } }];
}

function recuse(command: Extract<SessionCommand, { type: 'RecuseJuror' }>, state: OpenSession): SessionEvent[] {
  const { jurorId, candidateId, declaredBy, certification } = command;
  if (declaredBy.role === 'juror' && declaredBy.id !== jurorId) throw forbidden('not-yourself', 'a juror declares only their own recusal');
  if (declaredBy.role === 'centre' && declaredBy.id !== state.centreId) throw forbidden('not-your-session', `session ${state.sessionId} belongs to another centre`);
  if (declaredBy.role === 'dreets') requireTerritory(command.actingRegion, command.centreRegion, `session ${state.sessionId}`);
  member(state, jurorId, candidateId);
  enrolled(state, candidateId);
  if ((state.recusals[candidateId] ?? []).includes(jurorId)) return [];
  // Until the PV is validated (member() refuses after): the juror's assessments, proposal and signature for
  // this candidate stop counting. The rest of the jury deliberates; below the minimum, the centre adds a juror.
  const recused: SessionEvent = { type: 'JurorRecused', data: { jurorId, candidateId, declaredBy: declaredBy.role, declarer: declaredBy.id } };
  const next = evolve(state, recused) as OpenSession;
  const deliberation = next.deliberations[candidateId];
  const refinalised = deliberation && !deliberation.final ? finalisation(next, candidateId, deliberation.signedBy, deliberation, certification) : [];
  return [recused, ...refinalised];
}

function addJurorsFor(command: Extract<SessionCommand, { type: 'AddJurorsForCandidate' }>, state: OpenSession): SessionEvent[] {
  ownedOpen(state, command.actingCentre);
  const { candidateId, certification } = command;
  enrolled(state, candidateId);
  if (duplicates(command.jurorIds).length) throw refuse('duplicate-jury-member', `listed twice: ${duplicates(command.jurorIds).join(', ')}`);
  const sitting = sittingFor(state, candidateId);
  const newcomers = command.jurorIds.filter((id) => !sitting.some((m) => m.jurorId === id));
  if (newcomers.length === 0) return [];
  if (juryRulesMet(sitting, certification)) {
    throw refuse('jury-complete-for-candidate', `the jury sitting for candidate ${candidateId} already meets the rules of ${certification.rncp}`);
  }
  // All or none: the additions are one decision.
  return newcomers.map((jurorId) => {
    const juror = command.jurors.find((j) => j.jurorId === jurorId);
    if (!juror) throw notFound('juror-not-found', `no juror ${jurorId}`);
    if ((state.recusals[candidateId] ?? []).includes(jurorId)) throw refuse('juror-recused', `juror ${jurorId} is recused for candidate ${candidateId}`);
    habilitatedForSession(state, juror);
    return { type: 'JurorAddedForCandidate', data: { jurorId, independent: juror.independent, candidateId } };
  });
}

function juryRulesMet(members: readonly JuryMember[], certification: CertificationVersion) {
  try {
    checkJuryRules(members, certification, true);
    return true;
  } catch {
    return false;
  }
}

function assess(command: Extract<SessionCommand, { type: 'RecordAssessment' }>, state: OpenSession): SessionEvent[] {
  const { jurorId, candidateId, bloc, competences, certification } = command;
  member(state, jurorId, candidateId);
  const enrolment = enrolled(state, candidateId);
  notRecused(state, jurorId, candidateId);
  started(state, command.today);
  if (!state.blocs.includes(bloc)) throw refuse('unknown-bloc', `session ${state.sessionId} does not examine ${bloc}`);
  if (!enrolment.blocs.includes(bloc)) throw refuse('bloc-not-enrolled', `candidate ${candidateId} is not enrolled for ${bloc}`);
  const known = [...certification.blocs, ...certification.ccs].find((b) => b.code === bloc)?.competences.map((c) => c.code) ?? [];
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
  member(state, jurorId, candidateId);
  const enrolment = enrolled(state, candidateId);
  notRecused(state, jurorId, candidateId);
  started(state, command.today);
  if (state.deliberations[candidateId]) {
    throw conflict('deliberation-already-proposed', `a deliberation for candidate ${candidateId} is already proposed: sign it instead`);
  }
  checkJuryRules(sittingFor(state, candidateId), certification, true);
  const blocs = outcomeBlocs(command, state, enrolment, certification);
  const contradicted = blocsFoundShort(state, candidateId, blocs);
  if (contradicted.length && !command.assessmentsOverridden) {
    throw refuse(
      'outcome-contradicts-assessments',
      `every juror who assessed ${contradicted.join(', ')} recorded a competence non acquise: award it only with the jury's reason (assessmentsOverridden)`,
    );
  }
  const unassessed = outcome === 'titre' ? blocsNotAssessed(state, candidateId, blocs, certification) : [];
  if (unassessed.length && !command.assessmentsOverridden) {
    throw refuse(
      'titre-without-assessments',
      `no juror sitting for candidate ${candidateId} recorded every competence of ${unassessed.join(', ')}: the titre is awarded on the grids, or with the jury's reason (assessmentsOverridden)`,
    );
  }
  const overridden = blocs.filter((bloc) => contradicted.includes(bloc) || unassessed.includes(bloc));
  const dossier = command.dossierProfessionnel ? { dossierProfessionnel: command.dossierProfessionnel } : {};
  const note = command.assessmentsOverridden?.note;
  const override = overridden.length && command.assessmentsOverridden ? { assessmentsOverridden: { blocs: overridden, ...(note ? { note } : {}) } } : {};
  const proposed: SessionEvent[] = [
    { type: 'DeliberationProposed', data: { candidateId, outcome, blocs, finalInterviewHeld, proposedBy: jurorId, ...dossier, ...override } },
    { type: 'DeliberationSigned', data: { candidateId, jurorId } },
  ];
  return [...proposed, ...finalisation(state, candidateId, [jurorId], { outcome, blocs, finalInterviewHeld }, certification)];
}

/**
 * The awarded blocs that the jury's own grids found short: assessed by at least one juror still sitting for the
 * candidate, and every such juror recorded at least one competence of it non acquise. The jury is sovereign, so it
 * may still award them, but only by saying why (recorded with the decision), never by a slip of the form.
 */
function blocsFoundShort(state: OpenSession, candidateId: string, blocs: readonly string[]): string[] {
  const sitting = sittingFor(state, candidateId).map((m) => m.jurorId);
  return blocs.filter((bloc) => {
    const grids = sitting.flatMap((jurorId) => {
      const grid = state.assessments[assessmentKey(jurorId, candidateId, bloc)];
      return grid ? [grid] : [];
    });
    return grids.length > 0 && grids.every((grid) => Object.values(grid).includes('non_acquis'));
  });
}

/**
 * The blocs a titre would award now whose competences are not all assessed: some competence of the bloc has no
 * result in the grid of any juror still sitting for the candidate. A titre rests on the jury's evaluation of every
 * competence (the référentiel d'évaluation), so a decision without it is refused unless the jury records why; the
 * blocs held from before were assessed where they were acquired.
 */
function blocsNotAssessed(state: OpenSession, candidateId: string, blocs: readonly string[], certification: CertificationVersion): string[] {
  const sitting = sittingFor(state, candidateId).map((m) => m.jurorId);
  return blocs.filter((bloc) => {
    const competences = certification.blocs.find((b) => b.code === bloc)?.competences.map((c) => c.code) ?? [];
    return competences.some((code) => !sitting.some((jurorId) => state.assessments[assessmentKey(jurorId, candidateId, bloc)]?.[code] !== undefined));
  });
}

/** The blocs a deliberation awards, in the session's order, after checking they fit the outcome. */
function outcomeBlocs(
  command: Extract<SessionCommand, { type: 'ProposeDeliberation' }>,
  state: OpenSession,
  enrolment: { route: AccessRoute; blocs: string[] },
  certification: CertificationVersion,
): string[] {
  const { outcome, blocs } = command;
  const enrolledBlocs = enrolment.blocs;
  if (duplicates(blocs).length) throw refuse('duplicate-bloc', 'each bloc is listed once');
  const notEnrolled = blocs.filter((code) => !enrolledBlocs.includes(code));
  switch (outcome) {
    case 'titre': {
      if (state.kind === 'ccs') throw refuse('ccs-session-awards-ccs', 'a CCS session awards CCS (outcome ccp), never the titre');
      // The titre is issued on the blocs acquired now together with those already held and usable: at a
      // titre session on every bloc, or by capitalisation (DESIGN.md rule 10).
      if (notEnrolled.length) throw refuse('bloc-not-enrolled', `candidate ${command.candidateId} is not enrolled for ${notEnrolled.join(', ')}`);
      const acquiredNow = blocs.length > 0 ? blocs : enrolledBlocs;
      const all = certification.blocs.map((b) => b.code);
      const missing = all.filter((code) => !acquiredNow.includes(code) && !command.usableBlocs.includes(code));
      if (missing.length) throw refuse('titre-blocs-missing', `the titre ${certification.rncp} needs ${missing.join(', ')}, neither acquired now nor held`);
      const capitalisation = titreRouteOf(state, enrolment) === 'capitalisation';
      const interviewRequired = capitalisation
        ? (certification.capitalisationFinalInterviewRequired ?? certification.finalInterviewRequired)
        : certification.finalInterviewRequired;
      if (interviewRequired && !command.finalInterviewHeld) {
        throw refuse('final-interview-required', `${certification.rncp} issues the titre${capitalisation ? ' by capitalisation' : ''} only after the entretien final`);
      }
      // The DP is presented at every session and the jury's decision on the titre rests on it (rule 17).
      if (command.dossierProfessionnel === 'missing') throw refuse('dossier-professionnel-missing', 'the titre is not issued without the dossier professionnel');
      // Unstated, it is read as presented unless the version says a titre proposal must state it (a named assumption).
      if (!command.dossierProfessionnel && certification.dossierProfessionnelMustBeStated) {
        throw refuse('dossier-professionnel-not-stated', `a titre proposal for ${certification.rncp} states whether the dossier professionnel was presented`);
      }
      return all.filter((code) => acquiredNow.includes(code));
    }
    case 'ccp':
      if (blocs.length === 0) throw refuse('ccp-needs-blocs', 'a ccp outcome names the blocs acquired');
      if (notEnrolled.length) throw refuse('bloc-not-enrolled', `candidate ${command.candidateId} is not enrolled for ${notEnrolled.join(', ')}`);
      return state.blocs.filter((code) => blocs.includes(code));
    case 'ajourne':
    case 'absent':
    case 'exclu':
      if (blocs.length) throw refuse('outcome-takes-no-blocs', `an ${outcome} outcome acquires no bloc`);
      return [];
    default:
      return assertNever(outcome);
  }
}

/**
 * DeliberationFinalised when every member sitting for the candidate has signed, and they are enough: a jury
 * that recusals left below the minimum waits for the juror the centre adds.
 */
function finalisation(
  state: OpenSession,
  candidateId: string,
  signedBy: string[],
  decision: Omit<Deliberation, 'proposedBy' | 'signedBy' | 'final'>,
  certification: CertificationVersion,
): SessionEvent[] {
  const sitting = sittingFor(state, candidateId);
  const complete = sitting.every((m) => signedBy.includes(m.jurorId)) && juryRulesMet(sitting, certification);
  if (!complete) return [];
  const { outcome, blocs, finalInterviewHeld } = decision;
  return [{ type: 'DeliberationFinalised', data: { candidateId, outcome, blocs, finalInterviewHeld } }];
}

function sign(command: Extract<SessionCommand, { type: 'SignDeliberation' }>, state: OpenSession): SessionEvent[] {
  const { jurorId, candidateId, certification } = command;
  member(state, jurorId, candidateId);
  enrolled(state, candidateId);
  notRecused(state, jurorId, candidateId);
  const deliberation = state.deliberations[candidateId];
  if (!deliberation) throw notFound('deliberation-not-found', `no deliberation is proposed for candidate ${candidateId}`);
  if (deliberation.signedBy.includes(jurorId)) return [];
  const signedBy = [...deliberation.signedBy, jurorId];
  return [{ type: 'DeliberationSigned', data: { candidateId, jurorId } }, ...finalisation(state, candidateId, signedBy, deliberation, certification)];
}

function withdraw(command: Extract<SessionCommand, { type: 'WithdrawCandidate' }>, state: OpenSession): SessionEvent[] {
  ownedOpen(state, command.actingCentre);
  const { candidateId } = command;
  // Not enrolled (never, or already withdrawn): nothing to withdraw, and a retried withdrawal is this one.
  if (!state.enrolments[candidateId]) return [];
  // Once the jury judged the candidate, the PV decides for them: a withdrawal would erase a judgement.
  const judged = state.deliberations[candidateId] || Object.keys(state.assessments).some((key) => key.split('|')[1] === candidateId);
  if (judged)
    throw conflict('candidate-already-assessed', `the jury of session ${state.sessionId} has assessed candidate ${candidateId}: the PV decides for them (absent, ajourné…)`);
  return [{ type: 'CandidateWithdrawn', data: { candidateId, withdrawnBy: command.actingCentre } }];
}

function validatePv(command: Extract<SessionCommand, { type: 'ValidatePv' }>, state: OpenSession): SessionEvent[] {
  requireTerritory(command.actingRegion, command.centreRegion, `the PV of session ${state.sessionId}`);
  if (state.pv) return [];
  if (command.today < state.endsOn) throw refuse('session-not-ended', `session ${state.sessionId} ends on ${state.endsOn}`);
  const candidates = Object.keys(state.enrolments);
  if (candidates.length === 0) throw refuse('no-candidates', `session ${state.sessionId} has no candidate`);
  const pending = candidates.filter((id) => !state.deliberations[id]?.final);
  if (pending.length) throw refuse('deliberations-incomplete', `no final deliberation yet for: ${pending.join(', ')}`);
  return [{ type: 'PvValidated', data: { validatedBy: command.validatedBy, validatedOn: command.today } }];
}

function annul(command: Extract<SessionCommand, { type: 'AnnulDecision' }>, state: OpenSession): SessionEvent[] {
  const { candidateId, note, annulledBy } = command;
  // The territory that validated the PV annuls its decisions, as it alone revokes the certificates they issued.
  requireTerritory(command.actingRegion, command.centreRegion, `the PV of session ${state.sessionId}`);
  if (!state.pv) throw refuse('pv-not-validated', 'only a decision of a validated procès-verbal can be annulled');
  if (!state.deliberations[candidateId]?.final) throw notFound('deliberation-not-found', `no final deliberation for candidate ${candidateId}`);
  const existing = state.annulments[candidateId];
  if (existing) {
    // The same reason and legal basis give the same note (keyed by the person's secret): a retry changes nothing.
    if (existing.note === note && existing.reason === undefined) return [];
    throw conflict('decision-already-annulled', `the decision for candidate ${candidateId} is already annulled`);
  }
  return [{ type: 'DecisionAnnulled', data: { candidateId, ...(note ? { note } : {}), annulledBy } }];
}

function evolve(state: SessionState, event: SessionEvent): SessionState {
  if (event.type === 'SessionScheduled') {
    return { status: 'scheduled', ...event.data, jury: [], enrolments: {}, recusals: {}, added: {}, accommodated: [], assessments: {}, deliberations: {}, annulments: {} };
  }
  if (state.status === 'unknown') return state;
  switch (event.type) {
    case 'JuryConstituted':
      return { ...state, jury: event.data.members };
    case 'CandidateEnrolled': {
      const { candidateId, route, blocs } = event.data;
      return { ...state, enrolments: { ...state.enrolments, [candidateId]: { route, blocs } } };
    }
    case 'CandidateWithdrawn': {
      // The candidate leaves the session with what concerned them only (recusals, added jurors, accommodations).
      const { candidateId } = event.data;
      const { [candidateId]: _e, ...enrolments } = state.enrolments;
      const { [candidateId]: _r, ...recusals } = state.recusals;
      const { [candidateId]: _a, ...added } = state.added;
      return { ...state, enrolments, recusals, added, accommodated: state.accommodated.filter((id) => id !== candidateId) };
    }
    case 'JurorRecused': {
      const { candidateId, jurorId } = event.data;
      const recusals = { ...state.recusals, [candidateId]: [...(state.recusals[candidateId] ?? []), jurorId] };
      const deliberation = state.deliberations[candidateId];
      if (!deliberation) return { ...state, recusals };
      const deliberations = { ...state.deliberations };
      // A proposal by the recused juror falls; their signature no longer counts, so the decision awaits the others.
      if (deliberation.proposedBy === jurorId) delete deliberations[candidateId];
      else if (deliberation.signedBy.includes(jurorId))
        deliberations[candidateId] = { ...deliberation, signedBy: deliberation.signedBy.filter((j) => j !== jurorId), final: false };
      return { ...state, recusals, deliberations };
    }
    case 'AccommodationDecided':
      return { ...state, accommodated: [...state.accommodated, event.data.candidateId] };
    case 'JurorAddedForCandidate': {
      const { candidateId, jurorId, independent } = event.data;
      const added = { ...state.added, [candidateId]: [...(state.added[candidateId] ?? []), { jurorId, independent }] };
      // A proposal made before the jury was completed falls: the added juror assesses, and the jury decides again.
      const deliberation = state.deliberations[candidateId];
      if (!deliberation || deliberation.final) return { ...state, added };
      const { [candidateId]: _, ...deliberations } = state.deliberations;
      return { ...state, added, deliberations };
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
      // Like the other deciders: an event that changes nothing this decider decides on leaves the state as it is.
      return state;
  }
}

export const session: Decider<SessionCommand, SessionState, SessionEvent> = { decide, evolve, initialState };
