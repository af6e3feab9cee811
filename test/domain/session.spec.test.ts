import { describe, expect, it } from 'vitest';
import { session, titreRouteOf, type CandidateFacts, type CentreFacts, type JurorFacts, type SessionCommand, type SessionEvent } from '../../domain/session.js';
import { specFor } from '../support/decider-spec.js';
import { referentialMap } from '../support/referential.js';
import { version } from './fixtures.js';

const spec = specFor(session);
/** The jury's reason for overriding its assessments is a note in the candidate's vault: the proposal carries its reference. */
const overrideNote = '0123456789abcdef0123456789abcdef';
const v = version();
const BC01 = 'RNCP38665BC01';
const BC02 = 'RNCP38665BC02';
const startsOn = '2025-10-06';
const endsOn = '2025-10-08';

const centre: CentreFacts = { centreId: 'c1', agrements: [{ rncp: 'RNCP38665', validFrom: '2025-01-01', validUntil: '2027-12-31' }] };
const habilitated = (jurorId: string, independent = false, validUntil = '2027-12-31'): JurorFacts => ({
  jurorId,
  independent,
  habilitations: [{ rncp: 'RNCP38665', validFrom: '2025-01-01', validUntil }],
});
const jurors = [habilitated('j1'), habilitated('j2', true), habilitated('j3')];

type Command<T extends SessionCommand['type']> = Omit<Extract<SessionCommand, { type: T }>, 'type'>;
const scheduleCommand = (over: Partial<Command<'ScheduleSession'>> = {}): SessionCommand => ({
  type: 'ScheduleSession',
  sessionId: 's1',
  rncp: 'RNCP38665',
  kind: 'titre',
  centreId: 'c1',
  startsOn,
  endsOn,
  actingCentre: 'c1',
  today: '2025-09-01',
  certification: v,
  centre,
  ...over,
});

// Past events, named after what happened.
const scheduled: SessionEvent = { type: 'SessionScheduled', data: { sessionId: 's1', rncp: 'RNCP38665', kind: 'titre', blocs: [BC01, BC02], centreId: 'c1', startsOn, endsOn } };
const ccpScheduled: SessionEvent = { type: 'SessionScheduled', data: { ...scheduled.data, kind: 'ccp', blocs: [BC01] } } as SessionEvent;
const juryOf = (...ids: string[]): SessionEvent => ({
  type: 'JuryConstituted',
  data: { members: ids.map((jurorId) => ({ jurorId, independent: jurors.find((j) => j.jurorId === jurorId)?.independent ?? false })) },
});
const jury2 = juryOf('j1', 'j2');
const jury3 = juryOf('j1', 'j2', 'j3');
const enrolled = (candidateId: string, blocs = [BC01, BC02]): SessionEvent => ({ type: 'CandidateEnrolled', data: { candidateId, route: 'formation_continue', blocs } });
const recused = (jurorId: string, candidateId: string, declaredBy: 'juror' | 'centre' | 'dreets' = 'juror', declarer = jurorId): SessionEvent => ({
  type: 'JurorRecused',
  data: { jurorId, candidateId, declaredBy, declarer },
});
const added = (jurorId: string, candidateId: string): SessionEvent => ({ type: 'JurorAddedForCandidate', data: { jurorId, independent: false, candidateId } });
const newcomer: CandidateFacts = { candidateId: 'cand-a', registeredBy: 'c1', usableBlocs: [], holdsTitre: false, trainings: [], vaeRecevable: false };
const assessed = (jurorId: string, candidateId: string): SessionEvent => ({
  type: 'AssessmentRecorded',
  data: { jurorId, candidateId, bloc: BC01, competences: [{ code: 'RNCP38665BC01C1', result: 'acquis' }] },
});
/** One juror's full grids for the candidate: every competence of each bloc recorded (acquis). */
const grids = (candidateId: string, blocs = [BC01, BC02], jurorId = 'j1', certification = v): SessionEvent[] =>
  blocs.map((bloc) => ({
    type: 'AssessmentRecorded',
    data: {
      jurorId,
      candidateId,
      bloc,
      competences: (certification.blocs.find((b) => b.code === bloc)?.competences ?? []).map((c) => ({ code: c.code, result: 'acquis' as const })),
    },
  }));
const proposed = (candidateId: string, proposedBy = 'j1'): SessionEvent[] => [
  { type: 'DeliberationProposed', data: { candidateId, outcome: 'ajourne', blocs: [], finalInterviewHeld: false, proposedBy } },
  { type: 'DeliberationSigned', data: { candidateId, jurorId: proposedBy } },
];
const signed = (candidateId: string, jurorId: string): SessionEvent => ({ type: 'DeliberationSigned', data: { candidateId, jurorId } });
const finalised = (candidateId: string): SessionEvent => ({ type: 'DeliberationFinalised', data: { candidateId, outcome: 'ajourne', blocs: [], finalInterviewHeld: false } });
const decided = (candidateId: string) => [...proposed(candidateId), signed(candidateId, 'j2'), finalised(candidateId)];
const pvValidated: SessionEvent = { type: 'PvValidated', data: { validatedBy: 'agent-1', validatedOn: endsOn } };

// Commands, as jurors, centres and agents send them.
const constitute = (members: string[], over: Partial<Command<'ConstituteJury'>> = {}): SessionCommand => ({
  type: 'ConstituteJury',
  actingCentre: 'c1',
  members,
  jurors,
  certification: v,
  ...over,
});
const enrol = (over: Partial<Command<'EnrolCandidate'>> = {}): SessionCommand => ({
  type: 'EnrolCandidate',
  actingCentre: 'c1',
  candidateId: 'cand-a',
  candidate: newcomer,
  route: 'formation_continue',
  today: '2025-09-01',
  certification: v,
  ...over,
});
const recuse = (jurorId: string, over: Partial<Command<'RecuseJuror'>> = {}): SessionCommand => ({
  type: 'RecuseJuror',
  jurorId,
  candidateId: 'cand-a',
  declaredBy: { role: 'juror', id: jurorId },
  actingRegion: undefined,
  centreRegion: 'Bretagne',
  certification: v,
  ...over,
});
const addJuror = (jurorId: string, over: Partial<Command<'AddJurorsForCandidate'>> = {}): SessionCommand => ({
  type: 'AddJurorsForCandidate',
  actingCentre: 'c1',
  candidateId: 'cand-a',
  jurorIds: [jurorId],
  jurors: [...jurors, habilitated('j4')],
  certification: v,
  ...over,
});
const assess = (jurorId: string, over: Partial<Command<'RecordAssessment'>> = {}): SessionCommand => ({
  type: 'RecordAssessment',
  jurorId,
  candidateId: 'cand-a',
  bloc: BC01,
  competences: [{ code: 'RNCP38665BC01C1', result: 'acquis' }],
  today: startsOn,
  certification: v,
  ...over,
});
const propose = (jurorId: string, over: Partial<Command<'ProposeDeliberation'>> = {}): SessionCommand => ({
  type: 'ProposeDeliberation',
  jurorId,
  candidateId: 'cand-a',
  outcome: 'titre',
  blocs: [BC01, BC02],
  finalInterviewHeld: true,
  usableBlocs: [],
  today: endsOn,
  certification: v,
  ...over,
});
const sign = (jurorId: string, candidateId = 'cand-a'): SessionCommand => ({ type: 'SignDeliberation', jurorId, candidateId, certification: v });
/** `region` null: an agent whose account carries no region. */
const validate = (today = endsOn, region: string | null = 'Bretagne'): SessionCommand => ({
  type: 'ValidatePv',
  validatedBy: 'agent-1',
  today,
  actingRegion: region ?? undefined,
  centreRegion: 'Bretagne',
});
const annul = (over: Partial<Command<'AnnulDecision'>> = {}): SessionCommand => ({
  type: 'AnnulDecision',
  candidateId: 'cand-a',
  note: '00112233445566778899aabbccddeeff',
  annulledBy: 'agent-2',
  actingRegion: 'Bretagne',
  centreRegion: 'Bretagne',
  ...over,
});

describe('scheduling a session', () => {
  it('a titre session examines every bloc of the version', () => {
    spec.given().when(scheduleCommand()).then([scheduled]);
  });
  it('a ccp session examines the blocs it names, in the version’s order', () => {
    spec
      .given()
      .when(scheduleCommand({ kind: 'ccp', blocs: [BC02, BC01] }))
      .then([{ type: 'SessionScheduled', data: { ...scheduled.data, kind: 'ccp', blocs: [BC01, BC02] } } as SessionEvent]);
  });
  it('a centre schedules sessions for itself only (not-your-centre)', () => {
    spec
      .given()
      .when(scheduleCommand({ actingCentre: 'c2' }))
      .thenRefused('not-your-centre');
  });
  it('a token for a centre no DREETS registered schedules nothing (centre-not-registered)', () => {
    spec
      .given()
      .when(scheduleCommand({ centre: undefined }))
      .thenRefused('centre-not-registered');
  });
  it('the certification must exist', () => {
    spec
      .given()
      .when(scheduleCommand({ certification: undefined }))
      .thenRefused('certification-not-found');
  });
  it('a session cannot end before it starts', () => {
    spec
      .given()
      .when(scheduleCommand({ endsOn: '2025-10-05' }))
      .thenRefused('invalid-session-dates');
  });
  it('a session cannot start in the past', () => {
    spec
      .given()
      .when(scheduleCommand({ today: '2025-10-07' }))
      .thenRefused('session-in-the-past');
  });
  it('the version must be valid on every session date, grace years included (certification-not-valid-on-dates)', () => {
    const closing = version({ validUntil: '2025-10-07', regime: { kind: 'titre-validity', graceYears: 0 } });
    const shortAgrement = { ...centre, agrements: [{ rncp: 'RNCP38665', validFrom: '2025-01-01', validUntil: '2025-10-07' }] };
    spec
      .given()
      .when(scheduleCommand({ certification: closing, centre: shortAgrement }))
      .thenRefused('certification-not-valid-on-dates');
  });
  it('the centre needs an agrément for that version (centre-not-agreed)', () => {
    const otherVersion = { ...centre, agrements: [{ rncp: 'SEED004', validFrom: '2025-01-01', validUntil: '2027-12-31' }] };
    spec
      .given()
      .when(scheduleCommand({ centre: otherVersion }))
      .thenRefused('centre-not-agreed');
  });
  it('the agrément must be active on every session date: one ending on the first day is not enough (centre-not-agreed)', () => {
    const ending = { ...centre, agrements: [{ rncp: 'RNCP38665', validFrom: '2025-01-01', validUntil: startsOn }] };
    spec
      .given()
      .when(scheduleCommand({ centre: ending }))
      .thenRefused('centre-not-agreed');
  });
  it('back-to-back agréments cover the dates across their boundary', () => {
    const renewed = {
      ...centre,
      agrements: [
        { rncp: 'RNCP38665', validFrom: '2026-01-01', validUntil: '2027-12-31' },
        { rncp: 'RNCP38665', validFrom: '2024-01-01', validUntil: '2025-10-06' },
        { rncp: 'RNCP38665', validFrom: '2025-10-07', validUntil: '2025-12-31' },
      ],
    };
    spec
      .given()
      .when(scheduleCommand({ centre: renewed }))
      .then([scheduled]);
  });
  it('agréments with a gap on a session date do not cover it (centre-not-agreed)', () => {
    const gap = {
      ...centre,
      agrements: [
        { rncp: 'RNCP38665', validFrom: '2024-01-01', validUntil: '2025-10-06' },
        { rncp: 'RNCP38665', validFrom: '2025-10-08', validUntil: '2025-12-31' },
      ],
    };
    spec
      .given()
      .when(scheduleCommand({ centre: gap }))
      .thenRefused('centre-not-agreed');
  });
  it('a ccp session examines blocs of the version only (unknown-bloc)', () => {
    spec
      .given()
      .when(scheduleCommand({ kind: 'ccp', blocs: ['RNCP38665BC03'] }))
      .thenRefused('unknown-bloc');
  });
  it('a ccp session names the blocs it examines', () => {
    spec
      .given()
      .when(scheduleCommand({ kind: 'ccp' }))
      .thenRefused('ccp-session-needs-blocs');
  });
  it('a titre session covers every bloc of the version', () => {
    spec
      .given()
      .when(scheduleCommand({ blocs: [BC01] }))
      .thenRefused('titre-session-covers-all-blocs');
  });
  it('scheduling the same session again (a retry) changes nothing', () => {
    spec.given([scheduled]).when(scheduleCommand()).thenNothing();
  });
  it('scheduling other content under an existing session id is refused', () => {
    spec
      .given([scheduled])
      .when(scheduleCommand({ endsOn: '2025-10-09' }))
      .thenRefused('session-already-scheduled');
  });
});

describe('the jury', () => {
  it('a jury of habilitated jurors is constituted with their independence', () => {
    spec
      .given([scheduled])
      .when(constitute(['j1', 'j2']))
      .then([jury2]);
  });
  it('a jury smaller than the version’s minimum is refused (jury-too-small)', () => {
    spec
      .given([scheduled])
      .when(constitute(['j1']))
      .thenRefused('jury-too-small');
  });
  it('a jury without the independent members the version requires is refused (jury-lacks-independent)', () => {
    const seed004 = version({ jury: { minMembers: 2, minIndependent: 1 } });
    spec
      .given([scheduled])
      .when(constitute(['j1', 'j3'], { certification: seed004 }))
      .thenRefused('jury-lacks-independent');
  });
  it('a juror without a habilitation for that version is refused (juror-not-habilitated)', () => {
    const other: JurorFacts = { jurorId: 'j4', independent: false, habilitations: [{ rncp: 'RNCP32340', validFrom: '2019-07-01', validUntil: '2029-01-01' }] };
    spec
      .given([scheduled])
      .when(constitute(['j1', 'j4'], { jurors: [...jurors, other] }))
      .thenRefused('juror-not-habilitated');
  });
  it('a habilitation ending before the session ends is not enough (juror-not-habilitated)', () => {
    const ending = habilitated('j4', false, '2025-10-07');
    spec
      .given([scheduled])
      .when(constitute(['j1', 'j4'], { jurors: [...jurors, ending] }))
      .thenRefused('juror-not-habilitated');
  });
  it('a habilitation starting after the session starts is not enough (juror-not-habilitated)', () => {
    const late: JurorFacts = { jurorId: 'j4', independent: false, habilitations: [{ rncp: 'RNCP38665', validFrom: '2025-10-07', validUntil: '2027-12-31' }] };
    spec
      .given([scheduled])
      .when(constitute(['j1', 'j4'], { jurors: [...jurors, late] }))
      .thenRefused('juror-not-habilitated');
  });
  it('an unknown juror is refused as not found', () => {
    spec
      .given([scheduled])
      .when(constitute(['j1', 'nobody']))
      .thenRefused('juror-not-found');
  });
  it('a juror listed twice is refused', () => {
    spec
      .given([scheduled])
      .when(constitute(['j1', 'j1']))
      .thenRefused('duplicate-jury-member');
  });
  it('setting the same jury again changes nothing', () => {
    spec
      .given([scheduled, jury2])
      .when(constitute(['j2', 'j1']))
      .thenNothing();
  });
  it('a centre constitutes the jury of its own sessions only (not-your-session)', () => {
    spec
      .given([scheduled])
      .when(constitute(['j1', 'j2'], { actingCentre: 'c2' }))
      .thenRefused('not-your-session');
  });
  it('once assessments are recorded no member leaves the jury (jury-locked)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), assessed('j1', 'cand-a')])
      .when(constitute(['j1', 'j3']))
      .thenRefused('jury-locked');
  });
  it('once assessments are recorded members may still join the jury', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), assessed('j1', 'cand-a')])
      .when(constitute(['j1', 'j2', 'j3']))
      .then([jury3]);
  });
  it('an unknown session is refused as not found', () => {
    spec
      .given()
      .when(constitute(['j1', 'j2']))
      .thenRefused('session-not-found');
  });
});

describe('enrolment', () => {
  it('a candidate is enrolled for every bloc of the session by default', () => {
    spec
      .given([scheduled])
      .when(enrol())
      .then([enrolled('cand-a')]);
  });
  it('at a ccp session a candidate may be enrolled for some of its blocs', () => {
    const both: SessionEvent = { type: 'SessionScheduled', data: { ...scheduled.data, kind: 'ccp' } } as SessionEvent;
    spec
      .given([both])
      .when(enrol({ blocs: [BC02] }))
      .then([enrolled('cand-a', [BC02])]);
  });
  it('at a ccp session an enrolment names at least one bloc (enrolment-needs-blocs)', () => {
    spec
      .given([ccpScheduled])
      .when(enrol({ blocs: [] }))
      .thenRefused('enrolment-needs-blocs');
  });
  it('capitalisation: at a titre session a candidate holding BC01 usable is enrolled on the missing BC02 only', () => {
    spec
      .given([scheduled])
      .when(enrol({ blocs: [BC02], candidate: { ...newcomer, usableBlocs: [BC01] } }))
      .then([enrolled('cand-a', [BC02])]);
  });
  it('capitalisation: a candidate holding every bloc usable is enrolled at a titre session on none (the jury only issues the titre)', () => {
    spec
      .given([scheduled])
      .when(enrol({ blocs: [], candidate: { ...newcomer, usableBlocs: [BC01, BC02] } }))
      .then([enrolled('cand-a', [])]);
  });
  it('at a titre session a bloc neither sat nor held and usable is refused (titre-session-blocs-not-held)', () => {
    spec
      .given([scheduled])
      .when(enrol({ blocs: [BC02] }))
      .thenRefused('titre-session-blocs-not-held');
    spec
      .given([scheduled])
      .when(enrol({ blocs: [] }))
      .thenRefused('titre-session-blocs-not-held');
  });
  it('a holder of the titre is not enrolled at a titre session of that version (titre-already-issued)', () => {
    spec
      .given([scheduled])
      .when(enrol({ candidate: { ...newcomer, holdsTitre: true } }))
      .thenRefused('titre-already-issued');
  });
  it('a candidate sitting another titre session of the version is not enrolled until its PV decides (already-sitting-titre-session)', () => {
    spec
      .given([scheduled])
      .when(enrol({ candidate: { ...newcomer, titreSittingAt: 's0' } }))
      .thenRefused('already-sitting-titre-session');
  });
  it('the seat held at this very session (a retried enrolment) enrols; a ccp session is not a titre sitting', () => {
    spec
      .given([scheduled])
      .when(enrol({ candidate: { ...newcomer, titreSittingAt: 's1' } }))
      .then([enrolled('cand-a')]);
    spec
      .given([ccpScheduled])
      .when(enrol({ candidate: { ...newcomer, titreSittingAt: 's0' } }))
      .then([enrolled('cand-a', [BC01])]);
  });
  it('the access route must be allowed by the version (route-not-allowed)', () => {
    spec
      .given([scheduled])
      .when(enrol({ route: 'candidature_individuelle' }))
      .thenRefused('route-not-allowed');
  });
  it('a bloc the session does not examine is refused (unknown-bloc)', () => {
    spec
      .given([ccpScheduled])
      .when(enrol({ blocs: [BC02] }))
      .thenRefused('unknown-bloc');
  });
  it('an unregistered candidate is refused as not found', () => {
    spec
      .given([scheduled])
      .when(enrol({ candidate: undefined }))
      .thenRefused('candidate-not-found');
  });
  it('a centre enrols only the candidates it registered (not-your-candidate): another centre holds their file', () => {
    spec
      .given([scheduled])
      .when(enrol({ candidate: { ...newcomer, registeredBy: 'c2' } }))
      .thenRefused('not-your-candidate');
  });
  it('enrolling the same candidate the same way again changes nothing', () => {
    spec
      .given([scheduled, enrolled('cand-a')])
      .when(enrol())
      .thenNothing();
  });
  it('a VAE enrolment needs the DREETS to have found the request admissible (vae-recevabilite-required)', () => {
    spec
      .given([scheduled])
      .when(enrol({ route: 'vae' }))
      .thenRefused('vae-recevabilite-required');
    spec
      .given([scheduled])
      .when(enrol({ route: 'vae', candidate: { ...newcomer, vaeRecevable: true } }))
      .then([{ type: 'CandidateEnrolled', data: { candidateId: 'cand-a', route: 'vae', blocs: [BC01, BC02] } }]);
  });
  it('enrolling an enrolled candidate differently is a conflict', () => {
    spec
      .given([scheduled, enrolled('cand-a')])
      .when(enrol({ route: 'vae' }))
      .thenRefused('candidate-already-enrolled');
  });
  it('no enrolment after the session has ended', () => {
    spec
      .given([scheduled])
      .when(enrol({ today: '2025-10-09' }))
      .thenRefused('session-ended');
  });
  it('a centre enrols candidates in its own sessions only (not-your-session)', () => {
    spec
      .given([scheduled])
      .when(enrol({ actingCentre: 'c2' }))
      .thenRefused('not-your-session');
  });
});

describe('the grace year after a version ends (DESIGN.md rule 11)', () => {
  // RNCP38665 is registered until 2029-05-12, with one grace year (regime titre-validity, graceYears 1).
  const graceCentre = { ...centre, agrements: [{ rncp: 'RNCP38665', validFrom: '2025-01-01', validUntil: '2030-05-12' }] };
  const graceDates = { startsOn: '2029-10-01', endsOn: '2029-10-02', today: '2029-09-01' };
  const graceScheduled: SessionEvent = {
    type: 'SessionScheduled',
    data: { ...scheduled.data, kind: 'ccp', blocs: [BC02], ...{ startsOn: '2029-10-01', endsOn: '2029-10-02' } },
  } as SessionEvent;
  it('a session may be held in the year after the version ends', () => {
    spec
      .given()
      .when(scheduleCommand({ ...graceDates, kind: 'ccp', blocs: [BC02], centre: graceCentre }))
      .then([graceScheduled]);
  });
  it('not after the grace year (certification-not-valid-on-dates)', () => {
    spec
      .given()
      .when(scheduleCommand({ startsOn: '2030-05-12', endsOn: '2030-05-13', today: '2029-09-01', centre: graceCentre }))
      .thenRefused('certification-not-valid-on-dates');
  });
  it('nor at all under the 2006 regime, which has none', () => {
    const fixed = version({ regime: { kind: 'fixed-years', years: 5 } });
    spec
      .given()
      .when(scheduleCommand({ ...graceDates, certification: fixed, centre: graceCentre }))
      .thenRefused('certification-not-valid-on-dates');
  });
  it('a holder of a usable CCP of the version enrols; a newcomer is refused (grace-year-holders-only)', () => {
    spec
      .given([graceScheduled])
      .when(enrol({ today: '2029-09-01', candidate: { ...newcomer, usableBlocs: [BC01] } }))
      .then([enrolled('cand-a', [BC02])]);
    spec
      .given([graceScheduled])
      .when(enrol({ today: '2029-09-01' }))
      .thenRefused('grace-year-holders-only');
  });
  it('before the version ends, sessions are open to all', () => {
    spec
      .given([scheduled])
      .when(enrol())
      .then([enrolled('cand-a')]);
  });
});

describe('re-sit window of training-route candidates (DESIGN.md rule 12)', () => {
  // The session starts 2025-10-06.
  const failedOn = (decidedOn: string): CandidateFacts => ({ ...newcomer, lastShortfall: { sessionId: 's0', decidedOn } });
  it('within a year of the PV that left them short, a training-route candidate sits again without a new training', () => {
    spec
      .given([scheduled])
      .when(enrol({ candidate: failedOn('2024-10-06') }))
      .then([enrolled('cand-a')]);
  });
  it('later, enrolment is refused (resit-window-passed)', () => {
    spec
      .given([scheduled])
      .when(enrol({ candidate: failedOn('2024-10-05') }))
      .thenRefused('resit-window-passed');
    spec
      .given([scheduled])
      .when(enrol({ route: 'apprentissage', candidate: failedOn('2024-03-14') }))
      .thenRefused('resit-window-passed');
  });
  it('a new training ending after that PV opens enrolment again', () => {
    spec
      .given([scheduled])
      .when(enrol({ candidate: { ...failedOn('2024-03-14'), trainings: [{ endsOn: '2025-06-30' }] } }))
      .then([enrolled('cand-a')]);
  });
  it('a training that ended before that PV does not', () => {
    spec
      .given([scheduled])
      .when(enrol({ candidate: { ...failedOn('2024-03-14'), trainings: [{ endsOn: '2024-02-28' }] } }))
      .thenRefused('resit-window-passed');
  });
  it('sitting no bloc at a titre session (every bloc held) is no re-sit: the livret’s eligible holds', () => {
    spec
      .given([scheduled])
      .when(enrol({ blocs: [], candidate: { ...failedOn('2024-03-14'), usableBlocs: [BC01, BC02] } }))
      .then([enrolled('cand-a', [])]);
  });
  it('a VAE enrolment is not a training-route re-sit', () => {
    spec
      .given([scheduled])
      .when(enrol({ route: 'vae', candidate: { ...failedOn('2024-03-14'), vaeRecevable: true } }))
      .then([{ type: 'CandidateEnrolled', data: { candidateId: 'cand-a', route: 'vae', blocs: [BC01, BC02] } }]);
  });
});

describe('recusals (DESIGN.md rule 13)', () => {
  it('a juror who knows a candidate recuses themself for that candidate', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a')])
      .when(recuse('j3'))
      .then([recused('j3', 'cand-a')]);
  });
  it('the centre or the DREETS may declare it for a juror', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a')])
      .when(recuse('j3', { declaredBy: { role: 'centre', id: 'c1' } }))
      .then([recused('j3', 'cand-a', 'centre', 'c1')]);
    spec
      .given([scheduled, jury3, enrolled('cand-a')])
      .when(recuse('j3', { declaredBy: { role: 'dreets', id: 'agent-1' }, actingRegion: 'Bretagne' }))
      .then([recused('j3', 'cand-a', 'dreets', 'agent-1')]);
  });
  it('a juror declares only their own recusal (not-yourself); a centre only in its sessions (not-your-session)', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a')])
      .when(recuse('j3', { declaredBy: { role: 'juror', id: 'j1' } }))
      .thenRefused('not-yourself');
    spec
      .given([scheduled, jury3, enrolled('cand-a')])
      .when(recuse('j3', { declaredBy: { role: 'centre', id: 'c2' } }))
      .thenRefused('not-your-session');
  });
  it('a DREETS agent declares it for the sessions of its region only (outside-territory), never from an account without region', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a')])
      .when(recuse('j3', { declaredBy: { role: 'dreets', id: 'agent-2' }, actingRegion: 'Occitanie' }))
      .thenRefused('outside-territory');
    spec
      .given([scheduled, jury3, enrolled('cand-a')])
      .when(recuse('j3', { declaredBy: { role: 'dreets', id: 'agent-2' }, actingRegion: undefined }))
      .thenRefused('outside-territory');
  });
  it('a juror who already assessed the candidate may still recuse: until the PV is validated', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a'), assessed('j3', 'cand-a')])
      .when(recuse('j3'))
      .then([recused('j3', 'cand-a')]);
  });
  it('the recused juror’s proposal falls: another member proposes anew', () => {
    const given = [scheduled, jury3, enrolled('cand-a'), ...proposed('cand-a', 'j3'), recused('j3', 'cand-a')];
    spec
      .given(given)
      .when(propose('j1', { outcome: 'ajourne', blocs: [] }))
      .thenEvents((events) => {
        expect(events.map((e) => e.type)).toEqual(['DeliberationProposed', 'DeliberationSigned']);
      });
  });
  it('the recused juror’s signature stops counting; the others having all signed, the decision is final again', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a'), ...proposed('cand-a'), signed('cand-a', 'j2'), signed('cand-a', 'j3'), finalised('cand-a')])
      .when(recuse('j3'))
      .then([recused('j3', 'cand-a'), finalised('cand-a')]);
  });
  it('a final decision signed by the recused juror does not stand while the others are below the minimum (deliberations-incomplete)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), ...decided('cand-a'), recused('j2', 'cand-a')])
      .when(validate())
      .thenRefused('deliberations-incomplete');
  });
  it('a jury left below the minimum for the candidate cannot deliberate (jury-too-small-after-recusal)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), recused('j1', 'cand-a')])
      .when(propose('j2'))
      .thenRefused('jury-too-small-after-recusal');
  });
  it('nor one left without the independent members required (jury-lacks-independent-after-recusal)', () => {
    const seed004 = version({ jury: { minMembers: 2, minIndependent: 1 } });
    spec
      .given([scheduled, jury3, enrolled('cand-a'), recused('j2', 'cand-a')])
      .when(propose('j1', { certification: seed004 }))
      .thenRefused('jury-lacks-independent-after-recusal');
  });
  it('recusing twice for the same candidate changes nothing', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a'), recused('j3', 'cand-a')])
      .when(recuse('j3'))
      .thenNothing();
  });
  it('only a member of the jury is recused (not-a-jury-member)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a')])
      .when(recuse('j3'))
      .thenRefused('not-a-jury-member');
  });
  it('a recusal names an enrolled candidate (candidate-not-enrolled)', () => {
    spec.given([scheduled, jury3]).when(recuse('j3')).thenRefused('candidate-not-enrolled');
  });
});

describe('CCS sessions (DESIGN.md rule 14)', () => {
  const CCS = 'RNCP38665CCS01';
  const withCcs = version({ ccs: [{ code: CCS, title: 'Spécialisation', competences: [{ code: `${CCS}C1`, title: 'c1' }] }] });
  const ccsCentre: CentreFacts = { ...centre, agrements: [{ rncp: 'RNCP38665', validFrom: '2025-01-01', validUntil: '2027-12-31', ccs: [CCS] }] };
  const ccsScheduled: SessionEvent = { type: 'SessionScheduled', data: { ...scheduled.data, kind: 'ccs', blocs: [CCS] } } as SessionEvent;
  it('a centre with an agrément for the CCS schedules a session of it', () => {
    spec
      .given()
      .when(scheduleCommand({ kind: 'ccs', blocs: [CCS], certification: withCcs, centre: ccsCentre }))
      .then([ccsScheduled]);
  });
  it('without an agrément naming the CCS, no ccs session (centre-not-agreed-for-ccs)', () => {
    spec
      .given()
      .when(scheduleCommand({ kind: 'ccs', blocs: [CCS], certification: withCcs }))
      .thenRefused('centre-not-agreed-for-ccs');
  });
  it('a ccs session examines CCS of the version only (unknown-bloc)', () => {
    spec
      .given()
      .when(scheduleCommand({ kind: 'ccs', blocs: [BC01], certification: withCcs, centre: ccsCentre }))
      .thenRefused('unknown-bloc');
  });
  it('only holders of the titre enrol (ccs-needs-titre)', () => {
    spec
      .given([ccsScheduled])
      .when(enrol({ certification: withCcs }))
      .thenRefused('ccs-needs-titre');
    spec
      .given([ccsScheduled])
      .when(enrol({ certification: withCcs, candidate: { ...newcomer, holdsTitre: true } }))
      .then([enrolled('cand-a', [CCS])]);
  });
  it('the jury assesses the CCS competences and awards the CCS, never the titre (ccs-session-awards-ccs)', () => {
    const ready = [ccsScheduled, jury3, enrolled('cand-a', [CCS])];
    spec
      .given(ready)
      .when(assess('j1', { bloc: CCS, competences: [{ code: `${CCS}C1`, result: 'acquis' }], certification: withCcs }))
      .thenEvents((events) => expect(events[0]?.type).toBe('AssessmentRecorded'));
    spec
      .given(ready)
      .when(propose('j1', { outcome: 'titre', blocs: [CCS], certification: withCcs }))
      .thenRefused('ccs-session-awards-ccs');
    spec
      .given(ready)
      .when(propose('j1', { outcome: 'ccp', blocs: [CCS], certification: withCcs }))
      .thenEvents((events) => expect(events[0]).toMatchObject({ data: { outcome: 'ccp', blocs: [CCS] } }));
  });
});

describe('accommodations for a disabled candidate (DESIGN.md rule 17)', () => {
  /** `region` null: an agent whose account carries no region. */
  const decide = (candidateId = 'cand-a', region: string | null = 'Bretagne'): SessionCommand => ({
    type: 'DecideAccommodation',
    candidateId,
    decidedBy: 'dreets:agent-1',
    actingRegion: region ?? undefined,
    centreRegion: 'Bretagne',
  });
  it('are recorded for an enrolled candidate (the measures are not in the event)', () => {
    spec
      .given([scheduled, enrolled('cand-a')])
      .when(decide())
      .then([{ type: 'AccommodationDecided', data: { candidateId: 'cand-a', decidedBy: 'dreets:agent-1' } }]);
  });
  it('by the DREETS of the session’s centre’s region (outside-territory), never from an account without region', () => {
    spec
      .given([scheduled, enrolled('cand-a')])
      .when(decide('cand-a', 'Occitanie'))
      .thenRefused('outside-territory');
    spec
      .given([scheduled, enrolled('cand-a')])
      .when(decide('cand-a', null))
      .thenRefused('outside-territory');
  });
  it('only for a candidate of the session (candidate-not-enrolled), before the PV (session-closed)', () => {
    spec
      .given([scheduled, enrolled('cand-a')])
      .when(decide('cand-z'))
      .thenRefused('candidate-not-enrolled');
    spec
      .given([scheduled, jury2, enrolled('cand-a'), ...decided('cand-a'), pvValidated])
      .when(decide())
      .thenRefused('session-closed');
  });
});

describe('a juror added for a candidate after recusals', () => {
  const short = [scheduled, jury2, enrolled('cand-a'), assessed('j1', 'cand-a'), assessed('j2', 'cand-a'), recused('j2', 'cand-a')];
  it('the centre adds a habilitated juror for that candidate when the rest is below the minimum', () => {
    spec
      .given(short)
      .when(addJuror('j3'))
      .then([added('j3', 'cand-a')]);
  });
  it('the added juror assesses, and the deliberation is final when they and the others sign', () => {
    const withJ3 = [...short, added('j3', 'cand-a')];
    spec
      .given(withJ3)
      .when(assess('j3'))
      .then([assessed('j3', 'cand-a')]);
    spec
      .given([...withJ3, assessed('j3', 'cand-a'), ...proposed('cand-a')])
      .when(sign('j3'))
      .then([signed('cand-a', 'j3'), finalised('cand-a')]);
  });
  it('a proposal made before the juror was added falls: the added juror assesses, and the jury proposes again', () => {
    const proposedBeforeAddition = [
      scheduled,
      jury2,
      enrolled('cand-a'),
      assessed('j1', 'cand-a'),
      assessed('j2', 'cand-a'),
      ...proposed('cand-a'),
      recused('j2', 'cand-a'),
      added('j3', 'cand-a'),
    ];
    spec
      .given(proposedBeforeAddition)
      .when(assess('j3'))
      .then([assessed('j3', 'cand-a')]);
  });
  it('the added juror sits for that candidate only (not-a-jury-member)', () => {
    spec
      .given([...short, enrolled('cand-b'), added('j3', 'cand-a')])
      .when(assess('j3', { candidateId: 'cand-b' }))
      .thenRefused('not-a-jury-member');
  });
  it('no juror is added while the jury sitting for the candidate meets the rules (jury-complete-for-candidate)', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a'), recused('j3', 'cand-a')])
      .when(addJuror('j4'))
      .thenRefused('jury-complete-for-candidate');
  });
  it('the added juror is habilitated for the session dates (juror-not-habilitated), and not one recused for the candidate (juror-recused)', () => {
    spec
      .given(short)
      .when(addJuror('j4', { jurors: [habilitated('j4', false, '2025-10-07')] }))
      .thenRefused('juror-not-habilitated');
    // All or none: one unhabilitated juror among those added, and none is added.
    spec
      .given(short)
      .when(addJuror('j3', { jurorIds: ['j3', 'j4'], jurors: [...jurors, habilitated('j4', false, '2025-10-07')] }))
      .thenRefused('juror-not-habilitated');
    spec
      .given(short)
      .when(addJuror('j3', { jurorIds: ['j3', 'nobody'] }))
      .thenRefused('juror-not-found');
    spec.given(short).when(addJuror('j2')).thenRefused('juror-recused');
  });
  it('a centre adds jurors in its own sessions only (not-your-session)', () => {
    spec
      .given(short)
      .when(addJuror('j3', { actingCentre: 'c2' }))
      .thenRefused('not-your-session');
  });
});

describe('assessments', () => {
  const ready = [scheduled, jury3, enrolled('cand-a')];
  it('a jury member records acquis / non acquis per competence of a bloc', () => {
    spec
      .given(ready)
      .when(assess('j1'))
      .then([assessed('j1', 'cand-a')]);
  });
  it('a recused juror does not assess that candidate (juror-recused)', () => {
    spec
      .given([...ready, recused('j3', 'cand-a')])
      .when(assess('j3'))
      .thenRefused('juror-recused');
  });
  it('only jury members assess (not-a-jury-member)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a')])
      .when(assess('j3'))
      .thenRefused('not-a-jury-member');
  });
  it('only enrolled candidates are assessed (candidate-not-enrolled)', () => {
    spec
      .given(ready)
      .when(assess('j1', { candidateId: 'cand-z' }))
      .thenRefused('candidate-not-enrolled');
  });
  it('only blocs of the session are assessed (unknown-bloc)', () => {
    spec
      .given([ccpScheduled, jury3, enrolled('cand-a', [BC01])])
      .when(assess('j1', { bloc: BC02, competences: [{ code: 'RNCP38665BC02C1', result: 'acquis' }] }))
      .thenRefused('unknown-bloc');
  });
  it('only blocs the candidate is enrolled for are assessed (bloc-not-enrolled)', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a', [BC02])])
      .when(assess('j1'))
      .thenRefused('bloc-not-enrolled');
  });
  it('only competences of that bloc are assessed (unknown-competence)', () => {
    spec
      .given(ready)
      .when(assess('j1', { competences: [{ code: 'RNCP38665BC02C1', result: 'acquis' }] }))
      .thenRefused('unknown-competence');
  });
  it('a competence is assessed once per record', () => {
    const twice = [
      { code: 'RNCP38665BC01C1', result: 'acquis' as const },
      { code: 'RNCP38665BC01C1', result: 'non_acquis' as const },
    ];
    spec
      .given(ready)
      .when(assess('j1', { competences: twice }))
      .thenRefused('duplicate-competence');
  });
  it('no assessment before the session starts (session-not-started)', () => {
    spec
      .given(ready)
      .when(assess('j1', { today: '2025-10-05' }))
      .thenRefused('session-not-started');
  });
  it('recording the same results again changes nothing', () => {
    spec
      .given([...ready, assessed('j1', 'cand-a')])
      .when(assess('j1'))
      .thenNothing();
  });
  it('a juror may correct a result before the deliberation', () => {
    const corrected = [{ code: 'RNCP38665BC01C1', result: 'non_acquis' as const }];
    spec
      .given([...ready, assessed('j1', 'cand-a')])
      .when(assess('j1', { competences: corrected }))
      .then([{ type: 'AssessmentRecorded', data: { jurorId: 'j1', candidateId: 'cand-a', bloc: BC01, competences: corrected } }]);
  });
  it('assessments close once the deliberation is proposed', () => {
    spec
      .given([...ready, ...proposed('cand-a')])
      .when(assess('j2'))
      .thenRefused('assessments-closed');
  });
});

describe('deliberations', () => {
  const graded = (jurorId: string, result: 'acquis' | 'non_acquis'): SessionEvent => ({
    type: 'AssessmentRecorded',
    data: { jurorId, candidateId: 'cand-a', bloc: BC01, competences: [{ code: 'RNCP38665BC01C1', result }] },
  });
  const ccpOnBc01 = { outcome: 'ccp' as const, blocs: [BC01] };
  it('a bloc every sitting juror found short is awarded only with the jury’s recorded reason (outcome-contradicts-assessments)', () => {
    const given = spec.given([scheduled, jury2, enrolled('cand-a'), graded('j1', 'non_acquis'), graded('j2', 'non_acquis')]);
    given.when(propose('j1', ccpOnBc01)).thenRefused('outcome-contradicts-assessments');
    given.when(propose('j1', { ...ccpOnBc01, assessmentsOverridden: { note: overrideNote } })).then([
      {
        type: 'DeliberationProposed',
        data: {
          candidateId: 'cand-a',
          outcome: 'ccp',
          blocs: [BC01],
          finalInterviewHeld: true,
          proposedBy: 'j1',
          assessmentsOverridden: { blocs: [BC01], note: overrideNote },
        },
      },
      { type: 'DeliberationSigned', data: { candidateId: 'cand-a', jurorId: 'j1' } },
    ]);
  });
  it('a bloc one juror found acquired needs no reason, nor does a bloc nobody assessed', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), graded('j1', 'non_acquis'), graded('j2', 'acquis')])
      .when(propose('j1', ccpOnBc01))
      .then([
        { type: 'DeliberationProposed', data: { candidateId: 'cand-a', outcome: 'ccp', blocs: [BC01], finalInterviewHeld: true, proposedBy: 'j1' } },
        { type: 'DeliberationSigned', data: { candidateId: 'cand-a', jurorId: 'j1' } },
      ]);
    spec
      .given([scheduled, jury2, enrolled('cand-a')])
      .when(propose('j1', ccpOnBc01))
      .then([
        { type: 'DeliberationProposed', data: { candidateId: 'cand-a', outcome: 'ccp', blocs: [BC01], finalInterviewHeld: true, proposedBy: 'j1' } },
        { type: 'DeliberationSigned', data: { candidateId: 'cand-a', jurorId: 'j1' } },
      ]);
  });
  const ready = [scheduled, jury3, enrolled('cand-a'), ...grids('cand-a')];
  describe('a titre rests on the jury’s grids (issue 17: a titre was issued with no assessment at all)', () => {
    it('given no grid at all, when a titre is proposed, then it is refused (titre-without-assessments)', () => {
      spec
        .given([scheduled, jury3, enrolled('cand-a')])
        .when(propose('j1'))
        .thenRefused('titre-without-assessments');
    });
    it('given a bloc with one competence no juror recorded, then it is refused', () => {
      const partial: SessionEvent = {
        type: 'AssessmentRecorded',
        data: { jurorId: 'j2', candidateId: 'cand-a', bloc: BC02, competences: [{ code: 'RNCP38665BC02C1', result: 'acquis' }] },
      };
      expect(v.blocs.find((b) => b.code === BC02)!.competences.length).toBeGreaterThan(1);
      spec
        .given([scheduled, jury3, enrolled('cand-a'), ...grids('cand-a', [BC01]), partial])
        .when(propose('j1'))
        .thenRefused('titre-without-assessments');
    });
    it('given every competence recorded by some sitting juror (grids shared between jurors), then the titre is proposed', () => {
      const split = v.blocs
        .find((b) => b.code === BC02)!
        .competences.map(
          (c, i): SessionEvent => ({
            type: 'AssessmentRecorded',
            data: { jurorId: i % 2 ? 'j2' : 'j3', candidateId: 'cand-a', bloc: BC02, competences: [{ code: c.code, result: 'acquis' }] },
          }),
        );
      spec
        .given([scheduled, jury3, enrolled('cand-a'), ...grids('cand-a', [BC01]), ...split])
        .when(propose('j1'))
        .thenEvents((events) => expect(events[0]?.type).toBe('DeliberationProposed'));
    });
    it('given grids recorded only by a juror since recused for the candidate, then they do not count', () => {
      spec
        .given([scheduled, jury3, enrolled('cand-a'), ...grids('cand-a', [BC01, BC02], 'j3'), recused('j3', 'cand-a')])
        .when(propose('j1'))
        .thenRefused('titre-without-assessments');
    });
    it('given no grid, when the jury records its reason (assessmentsOverridden), then the titre is proposed and the unassessed blocs named with it', () => {
      spec
        .given([scheduled, jury3, enrolled('cand-a'), ...grids('cand-a', [BC01])])
        .when(propose('j1', { assessmentsOverridden: { note: overrideNote } }))
        .then([
          {
            type: 'DeliberationProposed',
            data: {
              candidateId: 'cand-a',
              outcome: 'titre',
              blocs: [BC01, BC02],
              finalInterviewHeld: true,
              proposedBy: 'j1',
              assessmentsOverridden: { blocs: [BC02], note: overrideNote },
            },
          },
          signed('cand-a', 'j1'),
        ]);
    });
    it('blocs held from before need no grid here: capitalisation with nothing sat now is proposed', () => {
      spec
        .given([scheduled, jury3, enrolled('cand-a', [])])
        .when(propose('j1', { blocs: [], usableBlocs: [BC01, BC02] }))
        .thenEvents((events) => expect(events[0]?.type).toBe('DeliberationProposed'));
    });
    it('an ajourné needs no grid', () => {
      spec
        .given([scheduled, jury3, enrolled('cand-a')])
        .when(propose('j1', { outcome: 'ajourne', blocs: [] }))
        .thenEvents((events) => expect(events[0]?.type).toBe('DeliberationProposed'));
    });
  });
  it('the proposer signs the proposal', () => {
    spec
      .given(ready)
      .when(propose('j1'))
      .then([
        { type: 'DeliberationProposed', data: { candidateId: 'cand-a', outcome: 'titre', blocs: [BC01, BC02], finalInterviewHeld: true, proposedBy: 'j1' } },
        signed('cand-a', 'j1'),
      ]);
  });
  it('one proposal per candidate: a second one is a conflict (deliberation-already-proposed)', () => {
    spec
      .given([...ready, ...proposed('cand-a')])
      .when(propose('j2', { outcome: 'ajourne', blocs: [] }))
      .thenRefused('deliberation-already-proposed');
  });
  it('a titre outcome needs the entretien final held when the version requires it (final-interview-required)', () => {
    spec
      .given(ready)
      .when(propose('j1', { finalInterviewHeld: false }))
      .thenRefused('final-interview-required');
  });
  it('a titre outcome without entretien final is accepted when the version does not require it', () => {
    const noInterview = version({ finalInterviewRequired: false });
    spec
      .given(ready)
      .when(propose('j1', { finalInterviewHeld: false, certification: noInterview }))
      .thenEvents((events) => {
        expect(events.map((e) => e.type)).toEqual(['DeliberationProposed', 'DeliberationSigned']);
      });
  });
  it('a titre session on every bloc issues the titre with them all (route session)', () => {
    expect(titreRouteOf({ kind: 'titre', blocs: [BC01, BC02] }, { route: 'formation_continue', blocs: [BC01, BC02] })).toBe('session');
    expect(titreRouteOf({ kind: 'titre', blocs: [BC01, BC02] }, { route: 'vae', blocs: [BC01, BC02] })).toBe('vae');
  });
  it('a titre needs every bloc acquired now or held and usable (titre-blocs-missing)', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a', [BC01])])
      .when(propose('j1', { blocs: [BC01] }))
      .thenRefused('titre-blocs-missing');
    spec
      .given([ccpScheduled, jury3, enrolled('cand-a', [BC01]), ...grids('cand-a', [BC01])])
      .when(propose('j1', { blocs: [BC01] }))
      .thenRefused('titre-blocs-missing');
  });
  it('capitalisation at the CCP session of the last missing bloc: the titre, with only that bloc acquired now', () => {
    spec
      .given([ccpScheduled, jury3, enrolled('cand-a', [BC01]), ...grids('cand-a', [BC01])])
      .when(propose('j1', { blocs: [BC01], usableBlocs: [BC02] }))
      .then([
        { type: 'DeliberationProposed', data: { candidateId: 'cand-a', outcome: 'titre', blocs: [BC01], finalInterviewHeld: true, proposedBy: 'j1' } },
        signed('cand-a', 'j1'),
      ]);
    expect(titreRouteOf({ kind: 'ccp', blocs: [BC01] }, { route: 'formation_continue', blocs: [BC01] })).toBe('capitalisation');
  });
  it('capitalisation at a titre session where the candidate sits the missing blocs only, or none', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a', [BC02]), ...grids('cand-a', [BC02])])
      .when(propose('j1', { blocs: [], usableBlocs: [BC01] }))
      .thenEvents((events) =>
        expect(events[0]).toEqual({ type: 'DeliberationProposed', data: { candidateId: 'cand-a', outcome: 'titre', blocs: [BC02], finalInterviewHeld: true, proposedBy: 'j1' } }),
      );
    spec
      .given([scheduled, jury3, enrolled('cand-a', [])])
      .when(propose('j1', { blocs: [], usableBlocs: [BC01, BC02] }))
      .thenEvents((events) => expect(events[0]).toMatchObject({ type: 'DeliberationProposed', data: { outcome: 'titre', blocs: [] } }));
    expect(titreRouteOf({ kind: 'titre', blocs: [BC01, BC02] }, { route: 'formation_continue', blocs: [BC02] })).toBe('capitalisation');
  });
  it('the entretien final at capitalisation follows the version’s switch (assumption capitalisationFinalInterviewRequired)', () => {
    const given = [ccpScheduled, jury3, enrolled('cand-a', [BC01]), ...grids('cand-a', [BC01])];
    const command = (certification: typeof v) => propose('j1', { blocs: [BC01], usableBlocs: [BC02], finalInterviewHeld: false, certification });
    spec
      .given(given)
      .when(command(version({ capitalisationFinalInterviewRequired: true })))
      .thenRefused('final-interview-required');
    spec
      .given(given)
      .when(command(version({ capitalisationFinalInterviewRequired: false })))
      .thenEvents((events) => expect(events[0]?.type).toBe('DeliberationProposed'));
    // Flipped the other way, a titre session on every bloc still needs it.
    spec
      .given([scheduled, jury3, enrolled('cand-a'), ...grids('cand-a')])
      .when(propose('j1', { finalInterviewHeld: false, certification: version({ capitalisationFinalInterviewRequired: false }) }))
      .thenRefused('final-interview-required');
  });
  it('a titre is refused when the candidate came without their dossier professionnel (dossier-professionnel-missing)', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a'), ...grids('cand-a')])
      .when(propose('j1', { dossierProfessionnel: 'missing' }))
      .thenRefused('dossier-professionnel-missing');
    spec
      .given([scheduled, jury3, enrolled('cand-a'), ...grids('cand-a')])
      .when(propose('j1', { dossierProfessionnel: 'presented' }))
      .thenEvents((events) => expect(events[0]).toMatchObject({ type: 'DeliberationProposed', data: { outcome: 'titre', dossierProfessionnel: 'presented' } }));
    spec
      .given([scheduled, jury3, enrolled('cand-a'), ...grids('cand-a')])
      .when(propose('j1', { outcome: 'ajourne', blocs: [], dossierProfessionnel: 'missing' }))
      .thenEvents((events) => expect(events[0]?.type).toBe('DeliberationProposed'));
  });
  it('a titre proposal that does not state the dossier professionnel follows the version’s switch (assumption dossierProfessionnelMustBeStated)', async () => {
    // The shipped referential reads an unstated dossier as presented (the jurors sign a decision resting on it)...
    const shipped = (await referentialMap()).get('RNCP38665')!.version;
    const graded = [scheduled, jury3, enrolled('cand-a'), ...grids('cand-a', [BC01, BC02], 'j1', shipped)];
    expect(shipped.dossierProfessionnelMustBeStated).toBe(false);
    spec
      .given(graded)
      .when(propose('j1', { certification: shipped }))
      .thenEvents((events) => expect(events[0]).toMatchObject({ type: 'DeliberationProposed', data: { outcome: 'titre' } }));
    // ...flipped, the jury must say it was presented before proposing the titre.
    const stated = { ...shipped, dossierProfessionnelMustBeStated: true };
    spec
      .given(graded)
      .when(propose('j1', { certification: stated }))
      .thenRefused('dossier-professionnel-not-stated');
    spec
      .given(graded)
      .when(propose('j1', { certification: stated, dossierProfessionnel: 'presented' }))
      .thenEvents((events) => expect(events[0]).toMatchObject({ data: { outcome: 'titre', dossierProfessionnel: 'presented' } }));
    // Only a titre rests on it: an ajourné needs no statement.
    spec
      .given(graded)
      .when(propose('j1', { certification: stated, outcome: 'ajourne', blocs: [] }))
      .thenEvents((events) => expect(events[0]?.type).toBe('DeliberationProposed'));
  });
  it('a candidate excluded for fraud (exclu) acquires nothing', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a'), ...grids('cand-a')])
      .when(propose('j1', { outcome: 'exclu', blocs: [BC01] }))
      .thenRefused('outcome-takes-no-blocs');
    spec
      .given([scheduled, jury3, enrolled('cand-a'), ...grids('cand-a')])
      .when(propose('j1', { outcome: 'exclu', blocs: [] }))
      .then([{ type: 'DeliberationProposed', data: { candidateId: 'cand-a', outcome: 'exclu', blocs: [], finalInterviewHeld: true, proposedBy: 'j1' } }, signed('cand-a', 'j1')]);
  });
  it('a titre names only blocs the candidate sat (bloc-not-enrolled)', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a', [BC02])])
      .when(propose('j1', { blocs: [BC01, BC02], usableBlocs: [BC01] }))
      .thenRefused('bloc-not-enrolled');
  });
  it('a ccp outcome awards blocs the candidate is enrolled for only (bloc-not-enrolled)', () => {
    spec
      .given([scheduled, jury3, enrolled('cand-a', [BC01])])
      .when(propose('j1', { outcome: 'ccp', blocs: [BC02] }))
      .thenRefused('bloc-not-enrolled');
  });
  it('a ccp outcome names the blocs acquired', () => {
    spec
      .given(ready)
      .when(propose('j1', { outcome: 'ccp', blocs: [] }))
      .thenRefused('ccp-needs-blocs');
  });
  it('an ajourné or absent outcome acquires no bloc', () => {
    spec
      .given(ready)
      .when(propose('j1', { outcome: 'absent', blocs: [BC01] }))
      .thenRefused('outcome-takes-no-blocs');
  });
  it('a recused juror does not propose for that candidate (juror-recused)', () => {
    spec
      .given([...ready, recused('j3', 'cand-a')])
      .when(propose('j3'))
      .thenRefused('juror-recused');
  });
  it('only jury members propose (not-a-jury-member)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a')])
      .when(propose('j3'))
      .thenRefused('not-a-jury-member');
  });
  it('no deliberation before the session starts (session-not-started)', () => {
    spec
      .given(ready)
      .when(propose('j1', { today: '2025-10-01' }))
      .thenRefused('session-not-started');
  });
  it('a deliberation is final at once when the proposer is the only member sitting for the candidate', () => {
    const soloVersion = version({ jury: { minMembers: 1, minIndependent: 0 } });
    spec
      .given([scheduled, jury2, enrolled('cand-a'), recused('j2', 'cand-a'), ...grids('cand-a')])
      .when(propose('j1', { certification: soloVersion }))
      .thenEvents((events) => {
        expect(events.map((e) => e.type)).toEqual(['DeliberationProposed', 'DeliberationSigned', 'DeliberationFinalised']);
      });
  });
});

describe('signatures', () => {
  const ready = [scheduled, jury3, enrolled('cand-a')];
  it('a deliberation is not final while a non-recused member has not signed', () => {
    spec
      .given([...ready, ...proposed('cand-a')])
      .when(sign('j2'))
      .then([signed('cand-a', 'j2')]);
  });
  it('a deliberation is final when every non-recused member has signed', () => {
    spec
      .given([...ready, ...proposed('cand-a'), signed('cand-a', 'j2')])
      .when(sign('j3'))
      .then([signed('cand-a', 'j3'), finalised('cand-a')]);
  });
  it('a recused juror’s signature is not needed for the deliberation to be final', () => {
    spec
      .given([...ready, recused('j3', 'cand-a'), ...proposed('cand-a')])
      .when(sign('j2'))
      .then([signed('cand-a', 'j2'), finalised('cand-a')]);
  });
  it('a recused juror does not sign for that candidate (juror-recused)', () => {
    spec
      .given([...ready, recused('j3', 'cand-a'), ...proposed('cand-a')])
      .when(sign('j3'))
      .thenRefused('juror-recused');
  });
  it('signing twice changes nothing', () => {
    spec
      .given([...ready, ...proposed('cand-a')])
      .when(sign('j1'))
      .thenNothing();
  });
  it('signing needs a proposal', () => {
    spec.given(ready).when(sign('j2')).thenRefused('deliberation-not-found');
  });
  it('only jury members sign (not-a-jury-member)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), ...proposed('cand-a')])
      .when(sign('j3'))
      .thenRefused('not-a-jury-member');
  });
});

describe('PV validation', () => {
  const deliberated = [scheduled, jury2, enrolled('cand-a'), enrolled('cand-b'), ...decided('cand-a'), ...decided('cand-b')];
  it('the PV is validated once every enrolled candidate’s deliberation is final and the session has ended', () => {
    spec.given(deliberated).when(validate()).then([pvValidated]);
  });
  it('the PV needs every enrolled candidate’s deliberation final (deliberations-incomplete)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), enrolled('cand-b'), ...decided('cand-a'), ...proposed('cand-b')])
      .when(validate())
      .thenRefused('deliberations-incomplete');
  });
  it('the PV is not validated before the session ends (session-not-ended)', () => {
    spec.given(deliberated).when(validate('2025-10-07')).thenRefused('session-not-ended');
  });
  it('a session without candidates has no PV to validate', () => {
    spec.given([scheduled, jury2]).when(validate()).thenRefused('no-candidates');
  });
  it('a DREETS agent validates the PVs of its region’s centres only (outside-territory, DESIGN.md rule 16)', () => {
    spec.given(deliberated).when(validate(endsOn, 'Occitanie')).thenRefused('outside-territory');
    spec.given(deliberated).when(validate(endsOn, null)).thenRefused('outside-territory');
  });
  it('validating twice appends nothing', () => {
    spec
      .given([...deliberated, pvValidated])
      .when(validate())
      .thenNothing();
  });
  describe('nothing changes after PV validation (session-closed)', () => {
    const closed = [...deliberated, pvValidated];
    it('no enrolment', () =>
      spec
        .given(closed)
        .when(enrol({ candidateId: 'cand-c' }))
        .thenRefused('session-closed'));
    it('no jury change', () =>
      spec
        .given(closed)
        .when(constitute(['j1', 'j3']))
        .thenRefused('session-closed'));
    it('no recusal', () => spec.given(closed).when(recuse('j1')).thenRefused('session-closed'));
    it('no assessment', () => spec.given(closed).when(assess('j1')).thenRefused('session-closed'));
    it('no proposal', () => spec.given(closed).when(propose('j1')).thenRefused('session-closed'));
    it('no signature', () => spec.given(closed).when(sign('j2')).thenRefused('session-closed'));
  });
});

describe('annulment', () => {
  const closed = [scheduled, jury2, enrolled('cand-a'), ...decided('cand-a'), pvValidated];
  const annulled: SessionEvent = {
    type: 'DecisionAnnulled',
    // The reason and legal basis are a note in the candidate's vault: the event carries its reference.
    data: { candidateId: 'cand-a', note: '00112233445566778899aabbccddeeff', annulledBy: 'agent-2' },
  };
  it('a final decision of a validated PV is annulled with reason and legal basis', () => {
    spec.given(closed).when(annul()).then([annulled]);
  });
  it('only decisions of a validated PV are annulled', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), ...decided('cand-a')])
      .when(annul())
      .thenRefused('pv-not-validated');
  });
  it('annulling needs a final decision for that candidate', () => {
    spec
      .given(closed)
      .when(annul({ candidateId: 'cand-z' }))
      .thenRefused('deliberation-not-found');
  });
  it('only the DREETS of the region that validated the PV annuls (outside-territory, rule 16), never an account without region', () => {
    spec
      .given(closed)
      .when(annul({ actingRegion: 'Occitanie' }))
      .thenRefused('outside-territory');
    spec
      .given(closed)
      .when(annul({ actingRegion: undefined }))
      .thenRefused('outside-territory');
  });
  it('the same annulment again changes nothing', () => {
    spec
      .given([...closed, annulled])
      .when(annul())
      .thenNothing();
  });
  it('annulling an annulled decision differently (another reason, so another note) is a conflict', () => {
    spec
      .given([...closed, annulled])
      .when(annul({ note: 'ffeeddccbbaa99887766554433221100' }))
      .thenRefused('decision-already-annulled');
  });
  it('given a decision annulled before the text left the events (v1), when annulled again, then it is a conflict, not a silent no-op', () => {
    const stored: SessionEvent = { type: 'DecisionAnnulled', data: { candidateId: 'cand-a', reason: 'appel', legalBasis: 'art. R335-10', annulledBy: 'agent-2' } };
    spec
      .given([...closed, stored])
      .when(annul())
      .thenRefused('decision-already-annulled');
  });
  it('given a candidate whose data were erased (no note kept), when the DREETS annuls, then the annulment carries no note', () => {
    spec
      .given(closed)
      .when(annul({ note: undefined }))
      .then([{ type: 'DecisionAnnulled', data: { candidateId: 'cand-a', annulledBy: 'agent-2' } }]);
  });
});

describe('withdrawing a candidate (issue 17: a titre session abandoned without a PV kept the seat)', () => {
  const withdraw = (candidateId = 'cand-a', actingCentre = 'c1'): SessionCommand => ({ type: 'WithdrawCandidate', actingCentre, candidateId });
  const withdrawn = (candidateId = 'cand-a'): SessionEvent => ({ type: 'CandidateWithdrawn', data: { candidateId, withdrawnBy: 'c1' } });

  it('the session’s centre withdraws an enrolled candidate nobody assessed yet', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a')])
      .when(withdraw())
      .then([withdrawn()]);
  });
  it('a candidate not enrolled, or already withdrawn, is withdrawn already: nothing more', () => {
    spec.given([scheduled, jury2]).when(withdraw()).then([]);
    spec
      .given([scheduled, jury2, enrolled('cand-a'), withdrawn()])
      .when(withdraw())
      .then([]);
  });
  it('another centre withdraws nobody (not-your-session)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a')])
      .when(withdraw('cand-a', 'c2'))
      .thenRefused('not-your-session');
  });
  it('once the jury assessed or deliberated on the candidate, the PV decides for them (candidate-already-assessed)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), assessed('j1', 'cand-a')])
      .when(withdraw())
      .thenRefused('candidate-already-assessed');
    spec
      .given([scheduled, jury2, enrolled('cand-a'), ...proposed('cand-a')])
      .when(withdraw())
      .thenRefused('candidate-already-assessed');
  });
  it('after the PV nothing changes (session-closed)', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), ...decided('cand-a'), pvValidated])
      .when(withdraw())
      .thenRefused('session-closed');
  });
  it('the PV no longer waits for a withdrawn candidate, and the candidate may be enrolled again', () => {
    spec
      .given([scheduled, jury2, enrolled('cand-a'), enrolled('cand-b'), ...decided('cand-b'), withdrawn('cand-a')])
      .when(validate())
      .then([pvValidated]);
    spec
      .given([scheduled, jury2, enrolled('cand-a'), withdrawn('cand-a')])
      .when(enrol())
      .then([enrolled('cand-a')]);
  });
});
