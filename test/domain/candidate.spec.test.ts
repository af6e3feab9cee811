import { beforeAll, describe, expect, it } from 'vitest';
import {
  candidate,
  candidateFactsFor,
  type CandidateCommand,
  type CandidateEvent,
  MAXIMUM_CANDIDATE_AGE,
  MINIMUM_CANDIDATE_AGE,
  requirePlausibleBirthDate,
} from '../../domain/candidate.js';
import type { CertificationVersion } from '../../events/certification.js';
import { specFor } from '../support/decider-spec.js';
import { referentialMap } from '../support/referential.js';

const spec = specFor(candidate);
let rncp38665: CertificationVersion;
let rncp12505: CertificationVersion;
beforeAll(async () => {
  const ref = await referentialMap();
  rncp38665 = ref.get('RNCP38665')!.version;
  rncp12505 = ref.get('RNCP12505')!.version;
});

const registered: CandidateEvent = { type: 'CandidateRegistered', data: { candidateId: 'k1', registeredBy: 'c1' } };
const acquired = (rncp: string, bloc: string, acquiredOn: string, sessionId = 's1'): CandidateEvent => ({
  type: 'CcpAcquired',
  data: { candidateId: 'k1', rncp, bloc, acquiredOn, via: { kind: 'session', sessionId } },
});
type Outcome = 'titre' | 'ccp' | 'ajourne' | 'absent' | 'exclu';
const enrolment = (blocs = ['RNCP38665BC01', 'RNCP38665BC02'], route: 'formation_continue' | 'vae' = 'formation_continue') => ({
  kind: 'titre' as const,
  route,
  blocs,
  startsOn: '2025-10-01',
  endsOn: '2025-10-03',
});
const outcome = (
  version: CertificationVersion,
  o: Outcome,
  blocs: string[],
  sessionId = 's1',
  decidedOn = '2025-10-06',
  over: { usableBlocs?: string[]; titreRoute?: 'session' | 'capitalisation'; enrolled?: string[] } = {},
) =>
  ({
    type: 'RecordSessionOutcome',
    candidateId: 'k1',
    sessionId,
    version,
    outcome: o,
    blocs,
    decidedOn,
    enrolment: enrolment(over.enrolled ?? (blocs.length ? blocs : ['RNCP38665BC01', 'RNCP38665BC02'])),
    titreRoute: over.titreRoute ?? 'session',
    usableBlocs: over.usableBlocs ?? [],
  }) as const;
/** The decision itself, recorded first whatever the outcome. */
const decision = (
  o: Outcome,
  blocs: string[],
  enrolled = blocs.length ? blocs : ['RNCP38665BC01', 'RNCP38665BC02'],
  sessionId = 's1',
  decidedOn = '2025-10-06',
  rncp = 'RNCP38665',
): CandidateEvent => ({
  type: 'SessionOutcomeRecorded',
  data: {
    candidateId: 'k1',
    sessionId,
    rncp,
    kind: 'titre',
    route: 'formation_continue',
    outcome: o,
    enrolledBlocs: enrolled,
    blocs,
    startsOn: '2025-10-01',
    endsOn: '2025-10-03',
    decidedOn,
  },
});
const titreIssued = (route: 'session' | 'capitalisation', blocs = ['RNCP38665BC01', 'RNCP38665BC02']): CandidateEvent => ({
  type: 'TitreIssued',
  data: { candidateId: 'k1', rncp: 'RNCP38665', issuedOn: '2025-10-06', sessionId: 's1', blocs, route },
});

describe('candidate record: outcomes of a validated PV', () => {
  it('a ccp outcome records the decision and each bloc acquired, via the session', () => {
    spec
      .given([registered])
      .when(outcome(rncp38665, 'ccp', ['RNCP38665BC01']))
      .then([decision('ccp', ['RNCP38665BC01']), acquired('RNCP38665', 'RNCP38665BC01', '2025-10-06')]);
  });
  it('a titre outcome at a titre session records the blocs and the titre, by the session route', () => {
    spec
      .given([registered])
      .when(outcome(rncp38665, 'titre', ['RNCP38665BC01', 'RNCP38665BC02']))
      .then([
        decision('titre', ['RNCP38665BC01', 'RNCP38665BC02']),
        acquired('RNCP38665', 'RNCP38665BC01', '2025-10-06'),
        acquired('RNCP38665', 'RNCP38665BC02', '2025-10-06'),
        titreIssued('session'),
      ]);
  });
  it('ajourné, absent and exclu record the decision only (it opens the re-sit window)', () => {
    spec
      .given([registered])
      .when(outcome(rncp38665, 'ajourne', []))
      .then([decision('ajourne', [])]);
    spec
      .given([registered])
      .when(outcome(rncp38665, 'absent', []))
      .then([decision('absent', [])]);
    spec
      .given([registered])
      .when(outcome(rncp38665, 'exclu', []))
      .then([decision('exclu', [])]);
  });
  it('recording the same outcome again appends nothing (the workflow retries)', () => {
    spec
      .given([registered, decision('ccp', ['RNCP38665BC01']), acquired('RNCP38665', 'RNCP38665BC01', '2025-10-06')])
      .when(outcome(rncp38665, 'ccp', ['RNCP38665BC01']))
      .thenNothing();
  });
  it('the titre by capitalisation: a bloc held from an earlier session and usable counts, only the new bloc is acquired', () => {
    spec
      .given([registered, acquired('RNCP38665', 'RNCP38665BC01', '2025-03-01', 's0')])
      .when(outcome(rncp38665, 'titre', ['RNCP38665BC02'], 's1', '2025-10-06', { usableBlocs: ['RNCP38665BC01'], titreRoute: 'capitalisation' }))
      .then([decision('titre', ['RNCP38665BC02']), acquired('RNCP38665', 'RNCP38665BC02', '2025-10-06'), titreIssued('capitalisation')]);
  });
  it('the titre by capitalisation: a bloc carried by correspondence (no CcpAcquired in this version) counts when the livret says it is usable', () => {
    spec
      .given([
        registered,
        { type: 'CcpAcquired', data: { candidateId: 'k1', rncp: 'RNCP32340', bloc: 'RNCP32340BC01', acquiredOn: '2021-06-01', via: { kind: 'session', sessionId: 's0' } } },
      ])
      .when(outcome(rncp38665, 'titre', ['RNCP38665BC02'], 's1', '2025-10-06', { usableBlocs: ['RNCP38665BC01'], titreRoute: 'capitalisation' }))
      .then([decision('titre', ['RNCP38665BC02']), acquired('RNCP38665', 'RNCP38665BC02', '2025-10-06'), titreIssued('capitalisation')]);
  });
  it('a titre without every bloc acquired now or held usable is refused', () => {
    spec
      .given([registered])
      .when(outcome(rncp38665, 'titre', ['RNCP38665BC02']))
      .thenRefused('titre-blocs-missing');
    // Held, but no longer usable (the livret leaves it out of usableBlocs): refused too.
    spec
      .given([registered, acquired('RNCP38665', 'RNCP38665BC01', '2025-03-01', 's0')])
      .when(outcome(rncp38665, 'titre', ['RNCP38665BC02']))
      .thenRefused('titre-blocs-missing');
  });
  it('at most one titre per candidate and version', () => {
    spec
      .given([registered, acquired('RNCP38665', 'RNCP38665BC01', '2025-10-06'), acquired('RNCP38665', 'RNCP38665BC02', '2025-10-06'), titreIssued('session', [])])
      .when(outcome(rncp38665, 'titre', ['RNCP38665BC01', 'RNCP38665BC02'], 's2'))
      .thenRefused('titre-already-issued');
  });
  it('a bloc the version does not have is refused', () => {
    spec
      .given([registered])
      .when(outcome(rncp38665, 'ccp', ['RNCP12505BC01']))
      .thenRefused('unknown-bloc');
  });
  it('an unknown candidate is not found', () => {
    spec
      .given([])
      .when(outcome(rncp38665, 'ccp', ['RNCP38665BC01']))
      .thenRefused('candidate-not-found');
  });
});

describe('candidate record: trainings and the re-sit facts a session reads (DESIGN.md rule 12)', () => {
  const declare = (over: Partial<{ actingCentre: string; endsOn: string; route: 'formation_continue' | 'eleve_etudiant' }> = {}) =>
    ({
      type: 'DeclareTraining',
      candidateId: 'k1',
      actingCentre: 'c1',
      rncp: 'RNCP38665',
      route: 'formation_continue',
      endsOn: '2026-04-30',
      allowedRoutes: rncp38665.accessRoutes.allowed,
      versionOpenedOn: rncp38665.validFrom,
      today: '2025-09-15',
      ...over,
    }) as const;
  const declared: CandidateEvent = {
    type: 'TrainingDeclared',
    data: { candidateId: 'k1', rncp: 'RNCP38665', route: 'formation_continue', endsOn: '2026-04-30', declaredBy: 'c1' },
  };
  it('the candidate’s centre declares a training by its end date, once', () => {
    spec.given([registered]).when(declare()).then([declared]);
    spec.given([registered, declared]).when(declare()).thenNothing();
  });
  it('a training ends at most 5 years after today (implausible-training-end, issue 17: 9999-12-31 was accepted)', () => {
    spec
      .given([registered])
      .when(declare({ endsOn: '9999-12-31' }))
      .thenRefused('implausible-training-end');
    spec
      .given([registered])
      .when(declare({ endsOn: '2030-09-16' }))
      .thenRefused('implausible-training-end');
    spec
      .given([registered])
      .when(declare({ endsOn: '2030-09-15' }))
      .thenEvents((events) => expect(events[0]?.type).toBe('TrainingDeclared'));
  });
  it('a training toward a version ends after the version opened (training-ends-before-version, issue 17: 1900-01-01 was accepted)', () => {
    spec
      .given([registered])
      .when(declare({ endsOn: '1900-01-01' }))
      .thenRefused('training-ends-before-version');
    spec
      .given([registered])
      .when(declare({ endsOn: '2024-05-11' }))
      .thenRefused('training-ends-before-version');
    spec
      .given([registered])
      .when(declare({ endsOn: '2024-05-12' }))
      .thenEvents((events) => expect(events[0]?.type).toBe('TrainingDeclared'));
  });
  it('another centre may not declare it', () => {
    spec
      .given([registered])
      .when(declare({ actingCentre: 'c2' }))
      .thenRefused('not-your-candidate');
  });
  it('a training by a route the version refuses is not declared (route-not-allowed)', () => {
    spec
      .given([registered])
      .when(declare({ route: 'eleve_etudiant' }))
      .thenRefused('route-not-allowed');
  });
  const facts = (events: CandidateEvent[]) => candidateFactsFor(events.reduce(candidate.evolve, candidate.initialState), 'k1', 'RNCP38665', []);
  it('an ajourné training-route decision is a shortfall; a full success is not; a partial success is', () => {
    expect(facts([registered, decision('ajourne', [], undefined, 's1', '2025-03-14')])?.lastShortfall).toEqual({ sessionId: 's1', decidedOn: '2025-03-14' });
    expect(
      facts([registered, decision('ajourne', [], undefined, 's1', '2025-03-14'), decision('ccp', ['RNCP38665BC01', 'RNCP38665BC02'], undefined, 's2', '2025-09-01')])
        ?.lastShortfall,
    ).toBeUndefined();
    expect(facts([registered, decision('ccp', ['RNCP38665BC01'], ['RNCP38665BC01', 'RNCP38665BC02'], 's2', '2025-09-01')])?.lastShortfall).toEqual({
      sessionId: 's2',
      decidedOn: '2025-09-01',
    });
    expect(facts([registered, decision('ajourne', []), declared])?.trainings).toEqual([{ endsOn: '2026-04-30' }]);
  });
});

describe('candidate record: VAE recevabilité and équivalences (DESIGN.md rules 15 and 17)', () => {
  const bretagne = { actingRegion: 'Bretagne', candidateRegion: 'Bretagne' };
  it('the VAE recevabilité is decided by the DREETS of the candidate’s centre’s region (outside-territory), never by an account without region', () => {
    const decision = { candidateId: 'k1', rncp: 'RNCP38665', decidedOn: '2025-09-01', decidedBy: 'dreets:agent-1', today: '2025-09-01', versionOpenedOn: '2024-05-12' };
    spec
      .given([registered])
      .when({ type: 'DecideVaeRecevabilite', ...decision, actingRegion: 'Occitanie', candidateRegion: 'Bretagne' })
      .thenRefused('outside-territory');
    spec
      .given([registered])
      .when({ type: 'DecideVaeRecevabilite', ...decision, actingRegion: undefined, candidateRegion: 'Bretagne' })
      .thenRefused('outside-territory');
  });
  it('the DREETS records a VAE request admissible for a version, once; the session reads it', () => {
    const decided: CandidateEvent = { type: 'VaeRecevabiliteDecided', data: { candidateId: 'k1', rncp: 'RNCP38665', decidedOn: '2025-09-01', decidedBy: 'dreets:agent-1' } };
    spec
      .given([registered])
      .when({ type: 'DecideVaeRecevabilite', ...decided.data, ...bretagne, versionOpenedOn: '2024-05-12', today: '2025-09-01' })
      .then([decided]);
    spec
      .given([registered, decided])
      .when({ type: 'DecideVaeRecevabilite', ...decided.data, ...bretagne, versionOpenedOn: '2024-05-12', today: '2025-09-02' })
      .thenNothing();
    expect(candidateFactsFor([registered, decided].reduce(candidate.evolve, candidate.initialState), 'k1', 'RNCP38665', [])?.vaeRecevable).toBe(true);
    expect(candidateFactsFor([registered].reduce(candidate.evolve, candidate.initialState), 'k1', 'RNCP38665', [])?.vaeRecevable).toBe(false);
  });
  it('a VAE recevabilité dated before the version opened is refused, as an équivalence is (decided-before-version, issue 17: 1900-01-01 was accepted)', () => {
    const decided = { candidateId: 'k1', rncp: 'RNCP38665', decidedBy: 'dreets:agent-1', ...bretagne, versionOpenedOn: '2024-05-12', today: '2025-09-01' };
    spec
      .given([registered])
      .when({ type: 'DecideVaeRecevabilite', ...decided, decidedOn: '1900-01-01' })
      .thenRefused('decided-before-version');
    spec
      .given([registered])
      .when({ type: 'DecideVaeRecevabilite', ...decided, decidedOn: '2024-05-11' })
      .thenRefused('decided-before-version');
    spec
      .given([registered])
      .when({ type: 'DecideVaeRecevabilite', ...decided, decidedOn: '2024-05-12' })
      .thenEvents((events) => expect(events[0]?.type).toBe('VaeRecevabiliteDecided'));
  });
  it('a decision dated after today is refused, never recorded to take effect at once (decided-in-the-future)', () => {
    const decided = { candidateId: 'k1', rncp: 'RNCP38665', decidedOn: '2027-01-01', decidedBy: 'dreets:agent-1' };
    spec
      .given([registered])
      .when({ type: 'DecideVaeRecevabilite', ...decided, ...bretagne, versionOpenedOn: '2024-05-12', today: '2026-04-16' })
      .thenRefused('decided-in-the-future');
    spec
      .given([registered])
      .when(equivalence({ today: '2025-09-14' }))
      .thenRefused('decided-in-the-future');
  });
  const equivalence = (
    over: Partial<{ blocs: string[]; titre: boolean; usableBlocs: string[]; actingRegion: string | undefined; today: string; decidedOn: string; bornOn: string | undefined }> = {},
  ): CandidateCommand => ({
    type: 'GrantEquivalence',
    candidateId: 'k1',
    decisionId: 'eq1',
    rncp: 'RNCP38665',
    blocs: ['RNCP38665BC01'],
    titre: false,
    decidedOn: '2025-09-15',
    legalBasis: 'arrêté de spécialité, annexe équivalences',
    decidedBy: 'dreets:agent-1',
    version: rncp38665,
    usableBlocs: [],
    actingRegion: 'Bretagne',
    candidateRegion: 'Bretagne',
    today: '2025-09-15',
    bornOn: '1990-04-02',
    ...over,
  });
  it('an équivalence is not dated before the version opened (decided-before-version) nor before the birth (decided-before-birth, issue 17)', () => {
    spec
      .given([registered])
      .when(equivalence({ decidedOn: '1900-01-01' }))
      .thenRefused('decided-before-version');
    spec
      .given([registered])
      .when(equivalence({ decidedOn: '2025-09-15', bornOn: '2025-09-16' }))
      .thenRefused('decided-before-birth');
    spec
      .given([registered])
      .when(equivalence({ bornOn: undefined }))
      .thenEvents((events) => expect(events[0]?.type).toBe('EquivalenceGranted'));
  });
  const granted = (blocs: string[], titre: boolean): CandidateEvent => ({
    type: 'EquivalenceGranted',
    data: {
      candidateId: 'k1',
      decisionId: 'eq1',
      rncp: 'RNCP38665',
      blocs,
      titre,
      decidedOn: '2025-09-15',
      legalBasis: 'arrêté de spécialité, annexe équivalences',
      decidedBy: 'dreets:agent-1',
    },
  });
  const byEquivalence = (bloc: string): CandidateEvent => ({
    type: 'CcpAcquired',
    data: { candidateId: 'k1', rncp: 'RNCP38665', bloc, acquiredOn: '2025-09-15', via: { kind: 'equivalence', decision: 'eq1' } },
  });
  it('a partial équivalence grants blocs via équivalence, with its legal basis and date', () => {
    spec
      .given([registered])
      .when(equivalence())
      .then([granted(['RNCP38665BC01'], false), byEquivalence('RNCP38665BC01')]);
  });
  it('a total équivalence issues the titre by the équivalence route', () => {
    spec
      .given([registered])
      .when(equivalence({ blocs: [], titre: true }))
      .then([
        granted([], true),
        {
          type: 'TitreIssued',
          data: { candidateId: 'k1', rncp: 'RNCP38665', issuedOn: '2025-09-15', sessionId: 'eq1', blocs: ['RNCP38665BC01', 'RNCP38665BC02'], route: 'equivalence' },
        },
      ]);
  });
  it('a cumul of partial équivalence and CCPs gives the titre only when it covers every bloc (titre-blocs-missing)', () => {
    spec
      .given([registered])
      .when(equivalence({ titre: true }))
      .thenRefused('titre-blocs-missing');
    spec
      .given([registered, acquired('RNCP38665', 'RNCP38665BC02', '2025-03-01', 's0')])
      .when(equivalence({ titre: true, usableBlocs: ['RNCP38665BC02'] }))
      .thenEvents((events) => {
        expect(events.map((e) => e.type)).toEqual(['EquivalenceGranted', 'CcpAcquired', 'TitreIssued']);
      });
  });
  it('the DREETS of the candidate’s centre’s region decides it (outside-territory), and the same decision again changes nothing', () => {
    spec
      .given([registered])
      .when(equivalence({ actingRegion: 'Occitanie' }))
      .thenRefused('outside-territory');
    spec
      .given([registered, granted(['RNCP38665BC01'], false), byEquivalence('RNCP38665BC01')])
      .when(equivalence())
      .thenNothing();
  });
  it('an équivalence grants something (equivalence-grants-nothing), of the version (unknown-bloc)', () => {
    spec
      .given([registered])
      .when(equivalence({ blocs: [] }))
      .thenRefused('equivalence-grants-nothing');
    spec
      .given([registered])
      .when(equivalence({ blocs: ['RNCP12505BC01'] }))
      .thenRefused('unknown-bloc');
  });
});

describe('candidate record: CCS (DESIGN.md rule 14)', () => {
  const CCS = 'RNCP38665CCS01';
  const withCcs = () => ({ ...rncp38665, ccs: [{ code: CCS, title: 'Spécialisation', competences: [{ code: `${CCS}C1`, title: 'c1' }] }] });
  const ccsOutcome = (): CandidateCommand => ({
    type: 'RecordSessionOutcome',
    candidateId: 'k1',
    sessionId: 's5',
    version: withCcs(),
    outcome: 'ccp',
    blocs: [CCS],
    decidedOn: '2026-06-12',
    enrolment: { kind: 'ccs', route: 'formation_continue', blocs: [CCS], startsOn: '2026-06-10', endsOn: '2026-06-11' },
    titreRoute: 'capitalisation',
    usableBlocs: [],
  });
  it('a holder of the titre obtains the CCS of a ccs session', () => {
    spec
      .given([registered, titreIssued('session')])
      .when(ccsOutcome())
      .thenEvents((events) => {
        expect(events.map((e) => e.type)).toEqual(['SessionOutcomeRecorded', 'CcsAcquired']);
        expect(events[1]).toEqual({ type: 'CcsAcquired', data: { candidateId: 'k1', rncp: 'RNCP38665', ccs: CCS, acquiredOn: '2026-06-12', sessionId: 's5' } });
      });
  });
  it('never without the titre (ccs-needs-titre)', () => {
    spec.given([registered]).when(ccsOutcome()).thenRefused('ccs-needs-titre');
  });
});

describe('candidate record: usability of capitalised blocs', () => {
  const check = (version: CertificationVersion, bloc: string, today: string) => ({ type: 'RecordUsabilityCheck', candidateId: 'k1', version, bloc, today }) as const;
  it('fixed-years regime: a bloc not used for a titre lapses the day after its fifth anniversary', () => {
    spec
      .given([registered, acquired('RNCP12505', 'RNCP12505BC01', '2014-03-10')])
      .when(check(rncp12505, 'RNCP12505BC01', '2019-03-11'))
      .then([{ type: 'CcpUsabilityLapsed', data: { candidateId: 'k1', rncp: 'RNCP12505', bloc: 'RNCP12505BC01', usableUntil: '2019-03-10' } }]);
  });
  it('fixed-years regime: on its fifth anniversary it is still usable', () => {
    spec
      .given([registered, acquired('RNCP12505', 'RNCP12505BC01', '2014-03-10')])
      .when(check(rncp12505, 'RNCP12505BC01', '2019-03-10'))
      .thenNothing();
  });
  it('titre-validity regime: usable until one year after the version closes, not before', () => {
    spec
      .given([registered, acquired('RNCP38665', 'RNCP38665BC01', '2025-10-06')])
      .when(check(rncp38665, 'RNCP38665BC01', '2030-05-12'))
      .thenNothing();
    spec
      .given([registered, acquired('RNCP38665', 'RNCP38665BC01', '2025-10-06')])
      .when(check(rncp38665, 'RNCP38665BC01', '2030-05-13'))
      .then([{ type: 'CcpUsabilityLapsed', data: { candidateId: 'k1', rncp: 'RNCP38665', bloc: 'RNCP38665BC01', usableUntil: '2030-05-12' } }]);
  });
  it('a bloc used for a titre never lapses', () => {
    const titre = titreIssued('session', []);
    spec
      .given([registered, acquired('RNCP38665', 'RNCP38665BC01', '2025-10-06'), titre])
      .when(check(rncp38665, 'RNCP38665BC01', '2031-01-01'))
      .thenNothing();
  });
  it('a lapse is recorded once', () => {
    const lapsed: CandidateEvent = { type: 'CcpUsabilityLapsed', data: { candidateId: 'k1', rncp: 'RNCP12505', bloc: 'RNCP12505BC01', usableUntil: '2019-03-10' } };
    spec
      .given([registered, acquired('RNCP12505', 'RNCP12505BC01', '2014-03-10'), lapsed])
      .when(check(rncp12505, 'RNCP12505BC01', '2019-04-01'))
      .thenNothing();
  });
  it('a lapsed bloc can be sat and acquired again', () => {
    const lapsed: CandidateEvent = { type: 'CcpUsabilityLapsed', data: { candidateId: 'k1', rncp: 'RNCP12505', bloc: 'RNCP12505BC01', usableUntil: '2019-03-10' } };
    spec
      .given([registered, acquired('RNCP12505', 'RNCP12505BC01', '2014-03-10'), lapsed])
      .when(outcome(rncp12505, 'ccp', ['RNCP12505BC01'], 's9', '2019-05-01'))
      .then([decision('ccp', ['RNCP12505BC01'], undefined, 's9', '2019-05-01', 'RNCP12505'), acquired('RNCP12505', 'RNCP12505BC01', '2019-05-01', 's9')]);
  });
});

describe('candidate record: annulment, certificates, notifications, surveys, erasure', () => {
  it('annulling a session decision appends compensating events for what it produced', () => {
    const titre = titreIssued('session', []);
    spec
      .given([registered, acquired('RNCP38665', 'RNCP38665BC01', '2025-10-06'), titre, acquired('RNCP38665', 'RNCP38665BC02', '2025-03-01', 's0')])
      .when({ type: 'AnnulSessionDecision', candidateId: 'k1', sessionId: 's1', note: 'aaaabbbbccccddddeeeeffff00001111' })
      .then([
        // The annulment's note (its reason and legal basis, in the candidate's vault), never the text.
        { type: 'TitreAnnulled', data: { candidateId: 'k1', rncp: 'RNCP38665', sessionId: 's1', note: 'aaaabbbbccccddddeeeeffff00001111' } },
        { type: 'CcpAcquisitionAnnulled', data: { candidateId: 'k1', rncp: 'RNCP38665', bloc: 'RNCP38665BC01', sessionId: 's1', note: 'aaaabbbbccccddddeeeeffff00001111' } },
      ]);
  });
  it('a certificate code is reserved once per issuance: a retry keeps the first code', () => {
    const reserve = {
      type: 'ReserveCertificateCode' as const,
      candidateId: 'k1',
      issuanceKey: 's1:titre:RNCP38665',
      code: 'AAAA',
      kind: 'titre' as const,
      rncp: 'RNCP38665',
      blocs: [] as string[],
    };
    const { type: _, ...data } = reserve;
    spec
      .given([registered])
      .when(reserve)
      .then([{ type: 'CertificateCodeReserved', data }]);
    spec
      .given([registered, { type: 'CertificateCodeReserved', data }])
      .when({ ...reserve, code: 'BBBB' })
      .thenNothing();
  });
  it('a notification is recorded once per key', () => {
    const notify = { type: 'Notify', candidateId: 'k1', notificationKey: 'n1', topic: 'session-results', message: 'm' } as const;
    const { type: _, ...data } = notify;
    spec
      .given([registered, { type: 'CandidateNotified', data }])
      .when(notify)
      .thenNothing();
  });
  it('an insertion survey concerns a candidate who obtained something', () => {
    spec
      .given([registered])
      .when({ type: 'RecordInsertionSurvey', candidateId: 'k1', horizon: '6m', situation: 'unemployed', recordedBy: 'ministry:m' })
      .thenRefused('nothing-certified');
  });
  it('no survey is recorded once the person’s data are erased (candidate-erased)', () => {
    spec
      .given([
        registered,
        acquired('RNCP38665', 'RNCP38665BC01', '2025-10-06'),
        { type: 'PersonalDataErased', data: { candidateId: 'k1', erasedBy: 'dreets:a', legalBasis: 'RGPD' } },
      ])
      .when({ type: 'RecordInsertionSurvey', candidateId: 'k1', horizon: '6m', situation: 'unemployed', recordedBy: 'ministry:m' })
      .thenRefused('candidate-erased');
  });
  it('one survey answer per horizon: the same again changes nothing, another is a conflict', () => {
    const survey: CandidateEvent = { type: 'InsertionSurveyRecorded', data: { candidateId: 'k1', horizon: '6m', situation: 'unemployed', recordedBy: 'ministry:m' } };
    const given = spec.given([registered, acquired('RNCP38665', 'RNCP38665BC01', '2025-10-06'), survey]);
    given.when({ type: 'RecordInsertionSurvey', candidateId: 'k1', horizon: '6m', situation: 'unemployed', recordedBy: 'ministry:m' }).thenNothing();
    given.when({ type: 'RecordInsertionSurvey', candidateId: 'k1', horizon: '6m', situation: 'employed_other', recordedBy: 'ministry:m' }).thenRefused('survey-already-recorded');
  });
  it('erasing personal data is recorded once', () => {
    spec
      .given([registered, { type: 'PersonalDataErased', data: { candidateId: 'k1', erasedBy: 'dreets:a', legalBasis: 'RGPD' } }])
      .when({ type: 'ErasePersonalData', candidateId: 'k1', erasedBy: 'dreets:a', legalBasis: 'RGPD', actingRegion: 'Bretagne', candidateRegion: 'Bretagne' })
      .thenNothing();
  });
  it('only the DREETS of the candidate’s centre’s region erases (outside-territory), never an account without region, even once erased', () => {
    const erase = (actingRegion: string | undefined): CandidateCommand => ({
      type: 'ErasePersonalData',
      candidateId: 'k1',
      erasedBy: 'dreets:a',
      legalBasis: 'RGPD',
      actingRegion,
      candidateRegion: 'Bretagne',
    });
    spec
      .given([registered])
      .when(erase('Bretagne'))
      .then([{ type: 'PersonalDataErased', data: { candidateId: 'k1', erasedBy: 'dreets:a', legalBasis: 'RGPD' } }]);
    spec.given([registered]).when(erase('Occitanie')).thenRefused('outside-territory');
    spec.given([registered]).when(erase(undefined)).thenRefused('outside-territory');
    spec
      .given([registered, { type: 'PersonalDataErased', data: { candidateId: 'k1', erasedBy: 'dreets:a', legalBasis: 'RGPD' } }])
      .when(erase('Occitanie'))
      .thenRefused('outside-territory');
  });
});

describe('registration: a plausible birth date (issue 17)', () => {
  it(`a candidate is between ${MINIMUM_CANDIDATE_AGE} and ${MAXIMUM_CANDIDATE_AGE} years old on the day of registration (implausible-birth-date)`, () => {
    expect(() => requirePlausibleBirthDate('2010-05-01', '2025-05-01')).not.toThrow();
    expect(() => requirePlausibleBirthDate('2010-05-02', '2025-05-01')).toThrow(expect.objectContaining({ code: 'implausible-birth-date' }));
    expect(() => requirePlausibleBirthDate('2100-01-01', '2025-05-01')).toThrow(expect.objectContaining({ code: 'implausible-birth-date' }));
    // 125 the day before their 126th birthday, 126 on it: an age, not a year (issue 17: "born 1900 or later").
    expect(() => requirePlausibleBirthDate('1899-05-02', '2025-05-01')).not.toThrow();
    expect(() => requirePlausibleBirthDate('1899-05-01', '2025-05-01')).toThrow(
      expect.objectContaining({ code: 'implausible-birth-date', message: 'a candidate born on 1899-05-01 would not be between 15 and 125 years old on 2025-05-01' }),
    );
    expect(() => requirePlausibleBirthDate('1925-05-02', '2050-05-01')).not.toThrow();
    expect(() => requirePlausibleBirthDate('1900-01-01', '2050-05-01')).toThrow(expect.objectContaining({ code: 'implausible-birth-date' }));
  });
});

describe('registration: by a registered centre only (issue 17)', () => {
  const register = (centre: { centreId: string } | undefined): CandidateCommand => ({ type: 'RegisterCandidate', candidateId: 'k1', centreId: 'c1', centre });
  it('a centre a DREETS registered registers its candidate', () => {
    spec
      .given()
      .when(register({ centreId: 'c1' }))
      .then([registered]);
  });
  it('a token for a centre no DREETS registered registers nobody (centre-not-registered)', () => {
    spec.given().when(register(undefined)).thenRefused('centre-not-registered');
  });
  it('the facts of another centre do not stand for the caller’s (centre-not-registered)', () => {
    spec
      .given()
      .when(register({ centreId: 'c2' }))
      .thenRefused('centre-not-registered');
  });
});

describe('one titre session of a version at a time (issue 17)', () => {
  const seat = (sessionId: string, rncp = 'RNCP38665') => ({ candidateId: 'k1', rncp, sessionId });
  const reserve = (sessionId: string, rncp?: string): CandidateCommand => ({ type: 'ReserveTitreSitting', ...seat(sessionId, rncp) });
  const reserved = (sessionId: string, rncp?: string): CandidateEvent => ({ type: 'TitreSittingReserved', data: seat(sessionId, rncp) });
  it('a registered candidate takes a seat at a titre session; taking it again changes nothing', () => {
    spec
      .given([registered])
      .when(reserve('s1'))
      .then([reserved('s1')]);
    spec
      .given([registered, reserved('s1')])
      .when(reserve('s1'))
      .thenNothing();
  });
  it('a second titre session of the same version is refused while the first has not decided (already-sitting-titre-session)', () => {
    spec
      .given([registered, reserved('s1')])
      .when(reserve('s2'))
      .thenRefused('already-sitting-titre-session');
  });
  it('a titre session of another version is another seat', () => {
    spec
      .given([registered, reserved('s1')])
      .when(reserve('s2', 'RNCP12505'))
      .then([reserved('s2', 'RNCP12505')]);
  });
  it('once the PV decided for the candidate, the next titre session of the version may be sat', () => {
    spec
      .given([registered, reserved('s1'), decision('ajourne', [], undefined, 's1')])
      .when(reserve('s2'))
      .then([reserved('s2')]);
  });
  it('a seat given back frees the version; giving back a seat not held changes nothing', () => {
    spec
      .given([registered, reserved('s1'), { type: 'TitreSittingReleased', data: seat('s1') }])
      .when(reserve('s2'))
      .then([reserved('s2')]);
    spec
      .given([registered, reserved('s1')])
      .when({ type: 'ReleaseTitreSitting', ...seat('s2') })
      .thenNothing();
  });
  it('an unknown candidate takes no seat (candidate-not-found)', () => {
    spec.given().when(reserve('s1')).thenRefused('candidate-not-found');
  });
});
