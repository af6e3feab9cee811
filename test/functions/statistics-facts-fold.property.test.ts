import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocumentProjection } from '../../functions/projections/projection.js';
import { candidateFacts, sessionFacts } from '../../functions/projections/statistics-facts.js';
import type { LedgerEvent, RecordedEvent } from '../../events/registry.js';

// The fact projections fold a run of events on their own copy of the document (statistics-facts.ts): a rebuild
// folds a whole stream at once, the change feed a delivery from the stored document, one commit at a time. Each
// way must give the same document, byte for byte, and never change the document it was given.

const CANDIDATES = ['c1', 'c2', 'c3', 'constructor'];
const SESSIONS = ['s1', 's2'];
const BLOCS = ['RNCP32340BC01', 'RNCP32340BC02'];
const candidateId = fc.constantFrom(...CANDIDATES);
const sessionId = fc.constantFrom(...SESSIONS);
const rncp = fc.constantFrom('RNCP32340', 'RNCP38665');
const bloc = fc.constantFrom(...BLOCS);
const date = fc.constantFrom('2022-03-10', '2022-12-31', '2023-01-02');
const outcome = fc.constantFrom('titre', 'ccp', 'ajourne', 'absent' as const);

const sessionEvent: fc.Arbitrary<LedgerEvent> = fc.oneof(
  {
    arbitrary: rncp.map((r) => ({
      type: 'SessionScheduled' as const,
      data: { sessionId: 's1', rncp: r, kind: 'titre' as const, blocs: BLOCS, centreId: 'x', startsOn: '2022-03-07', endsOn: '2022-03-09' },
    })),
    weight: 1,
  },
  {
    arbitrary: fc
      .record({ candidateId, route: fc.constantFrom('formation_continue', 'vae' as const) })
      .map((d) => ({ type: 'CandidateEnrolled' as const, data: { ...d, blocs: BLOCS } })),
    weight: 4,
  },
  { arbitrary: candidateId.map((id) => ({ type: 'CandidateWithdrawn' as const, data: { candidateId: id, withdrawnBy: 'centre:x' } })), weight: 2 },
  { arbitrary: fc.record({ candidateId, outcome }).map((d) => ({ type: 'DeliberationFinalised' as const, data: { ...d, blocs: [], finalInterviewHeld: true } })), weight: 4 },
  { arbitrary: candidateId.map((id) => ({ type: 'DecisionAnnulled' as const, data: { candidateId: id, annulledBy: 'agent-1' } })), weight: 2 },
  { arbitrary: date.map((validatedOn) => ({ type: 'PvValidated' as const, data: { validatedBy: 'agent-1', validatedOn } })), weight: 2 },
  { arbitrary: candidateId.map((id) => ({ type: 'DeliberationSigned' as const, data: { candidateId: id, jurorId: 'j1' } })), weight: 1 },
);

const candidateEvent: fc.Arbitrary<LedgerEvent> = fc.oneof(
  fc.constant({ type: 'CandidateRegistered' as const, data: { candidateId: 'c1', registeredBy: 'x' } }),
  fc.record({ rncp, bloc, acquiredOn: date, sessionId: fc.option(sessionId, { nil: null }) }).map(({ sessionId, ...d }) => ({
    type: 'CcpAcquired' as const,
    data: { ...d, candidateId: 'c1', via: sessionId ? { kind: 'session' as const, sessionId } : { kind: 'equivalence' as const, decision: 'eq-1' } },
  })),
  fc.record({ rncp, issuedOn: date, sessionId }).map((d) => ({ type: 'TitreIssued' as const, data: { ...d, candidateId: 'c1', blocs: BLOCS, route: 'session' as const } })),
  fc.record({ rncp, sessionId }).map((d) => ({ type: 'TitreAnnulled' as const, data: { ...d, candidateId: 'c1', reason: 'appel', legalBasis: 'R338-7' } })),
  fc.record({ rncp, bloc, sessionId }).map((d) => ({ type: 'CcpAcquisitionAnnulled' as const, data: { ...d, candidateId: 'c1', reason: 'appel', legalBasis: 'R338-7' } })),
  fc
    .record({ horizon: fc.constantFrom('6m', '24m' as const), situation: fc.constantFrom('employed_target_job', 'unemployed', 'neutralised' as const) })
    .map((d) => ({ type: 'InsertionSurveyRecorded' as const, data: { ...d, candidateId: 'c1', recordedBy: 'ministry:m' } })),
);

const recorded = (stream: string, events: LedgerEvent[]): RecordedEvent[] =>
  events.map(
    (e, i) =>
      ({
        ...e,
        eventId: `e${i}`,
        meta: { occurredAt: '2022-01-03T08:00:00.000Z', actor: 'system:test', correlationId: 'k', causationId: 'k' },
        stream,
        version: i + 1,
      }) as RecordedEvent,
  );

/** Frozen all the way down: a fold that changed the document it was given would throw (modules are strict). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The stream cut into runs at the given points: the commits, or the deliveries, that the document is folded by. */
const runsOf = <T>(items: T[], cuts: number[]) => {
  const at = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  return [0, ...at, items.length].slice(1).map((end, i, ends) => items.slice(i === 0 ? 0 : ends[i - 1], end));
};

const projections: [string, DocumentProjection<unknown>, fc.Arbitrary<LedgerEvent>][] = [
  ['session#s1', sessionFacts as DocumentProjection<unknown>, sessionEvent],
  ['candidate#c1', candidateFacts as DocumentProjection<unknown>, candidateEvent],
];

describe.each(projections)('the facts of %s folded', (stream, projection, event) => {
  it('in one run, run by run from the stored document, or event by event give the same document, and never change the one given', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), (events, cuts) => {
        // Given a stream's events
        const all = recorded(stream, events);
        // When the rebuild folds it at once, the feed delivers it in runs (each from the document as stored: JSON),
        // and each event is evolved alone from the document before it (frozen)
        const whole = projection.fold!(undefined, all);
        let delivered: unknown;
        for (const run of runsOf(all, cuts)) {
          const stored = delivered === undefined ? undefined : deepFreeze(JSON.parse(JSON.stringify(delivered)));
          delivered = projection.fold!(stored, run);
        }
        let evolved: unknown;
        for (const e of all) evolved = projection.evolve(evolved === undefined ? undefined : deepFreeze(evolved), e);
        // Then the three documents serialise the same, byte for byte
        expect(JSON.stringify(delivered)).toBe(JSON.stringify(whole));
        expect(JSON.stringify(evolved)).toBe(JSON.stringify(whole));
      }),
      { numRuns: 400 },
    );
  });
});

describe('a session fold', () => {
  it('keeps enrolment order, drops a withdrawn candidate, takes no candidateId for an inherited property', () => {
    // Given a session where c2 enrols, c1 enrols, c2 withdraws and enrols again, and a decision for "constructor" who never enrolled
    const events = recorded('session#s1', [
      { type: 'SessionScheduled', data: { sessionId: 's1', rncp: 'RNCP32340', kind: 'titre', blocs: BLOCS, centreId: 'x', startsOn: '2022-03-07', endsOn: '2022-03-09' } },
      { type: 'CandidateEnrolled', data: { candidateId: 'c2', route: 'vae', blocs: BLOCS } },
      { type: 'CandidateEnrolled', data: { candidateId: 'c1', route: 'formation_continue', blocs: BLOCS } },
      { type: 'CandidateWithdrawn', data: { candidateId: 'c2', withdrawnBy: 'centre:x' } },
      { type: 'CandidateEnrolled', data: { candidateId: 'c2', route: 'apprentissage', blocs: BLOCS } },
      { type: 'DeliberationFinalised', data: { candidateId: 'constructor', outcome: 'titre', blocs: BLOCS, finalInterviewHeld: true } },
      { type: 'DeliberationFinalised', data: { candidateId: 'c1', outcome: 'titre', blocs: BLOCS, finalInterviewHeld: true } },
      { type: 'PvValidated', data: { validatedBy: 'agent-1', validatedOn: '2022-03-20' } },
    ]);
    // When it is folded
    const doc = sessionFacts.fold!(undefined, events)!;
    // Then c1 comes first, c2 (enrolled again) after, "constructor" nowhere, and the PV's version is kept
    expect(JSON.parse(JSON.stringify(doc))).toEqual({
      sessionId: 's1',
      rncp: 'RNCP32340',
      kind: 'titre',
      centreId: 'x',
      validatedOn: '2022-03-20',
      candidates: { c1: { route: 'formation_continue', outcome: 'titre', annulled: false, at: 7 }, c2: { route: 'apprentissage', outcome: null, annulled: false, at: 5 } },
      validatedAt: 8,
    });
    expect(Object.keys(doc.candidates)).toEqual(['c1', 'c2']);
  });
});
