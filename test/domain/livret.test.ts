import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { candidate, candidateStream, type CandidateCommand } from '../../domain/candidate.js';
import { addDays } from '../../domain/dates.js';
import { isLivretEvent, livret, type DatedEvent, type ReferentialEntry } from '../../domain/livret.js';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import { candidateRecord, type CandidateRecordDoc } from '../../functions/projections/candidate-record.js';
import { Projector } from '../../functions/projections/projector.js';
import { CommandHandler, recordedEvents } from '../../functions/shared/command-handler.js';
import { referentialMap } from '../support/referential.js';
import { ledgerDate } from '../../functions/shared/ledger-date.js';
import { readDoc } from '../../functions/projections/projection.js';

let ref: Map<string, ReferentialEntry>;
beforeAll(async () => {
  ref = await referentialMap();
});

const dated = (type: string, data: object, recordedOn: string) => ({ type, data, recordedOn }) as DatedEvent;
const ccp = (rncp: string, bloc: string, on: string, sessionId = 's1') =>
  dated('CcpAcquired', { candidateId: 'k', rncp, bloc, acquiredOn: on, via: { kind: 'session', sessionId } }, on);

describe('the livret', () => {
  it('RNCP12505 (5-year regime): each bloc usable five years from its acquisition', () => {
    const events = [ccp('RNCP12505', 'RNCP12505BC01', '2014-03-10'), ccp('RNCP12505', 'RNCP12505BC02', '2016-06-15')];
    const [line] = livret(events, ref, '2017-01-01').filter((c) => c.rncp === 'RNCP12505');
    expect(line!.blocs).toEqual([
      expect.objectContaining({ code: 'RNCP12505BC01', acquired: true, acquiredAt: '2014-03-10', usableUntil: '2019-03-10', usable: true }),
      // Five years would reach 2021-06-15: bounded by the version's end (2019-06-30).
      expect.objectContaining({ code: 'RNCP12505BC02', acquired: true, acquiredAt: '2016-06-15', usableUntil: '2019-06-30', usable: true }),
      expect.objectContaining({ code: 'RNCP12505BC03', acquired: false, usable: false }),
    ]);
    expect(line!.eligible).toBe(false);
    expect(line!.missing).toEqual(['RNCP12505BC03']);
    expect(livret(events, ref, '2019-03-11').find((c) => c.rncp === 'RNCP12505')!.blocs[0]!.usable).toBe(false);
  });

  it('RNCP12505 (2006 regime): the five years never outlive the version (2019-06-30)', () => {
    const events = [ccp('RNCP12505', 'RNCP12505BC02', '2016-06-15')];
    expect(livret(events, ref, '2017-01-01').find((c) => c.rncp === 'RNCP12505')!.blocs[1]).toMatchObject({ usableUntil: '2019-06-30', usable: true });
    expect(livret(events, ref, '2019-07-01').find((c) => c.rncp === 'RNCP12505')!.blocs[1]).toMatchObject({ usable: false });
  });

  it('RNCP12505: a bloc acquired from 14 July 2016 follows the 2016 regime (version end plus a year), one acquired the day before the 2006 regime', () => {
    const after = livret([ccp('RNCP12505', 'RNCP12505BC02', '2016-07-14')], ref, '2017-01-01').find((c) => c.rncp === 'RNCP12505')!;
    expect(after.blocs[1]).toMatchObject({ usableUntil: '2020-06-30' });
    const before = livret([ccp('RNCP12505', 'RNCP12505BC02', '2016-07-13')], ref, '2017-01-01').find((c) => c.rncp === 'RNCP12505')!;
    expect(before.blocs[1]).toMatchObject({ usableUntil: '2019-06-30' });
  });

  it('RNCP38665 (titre-validity): blocs of 2025 and 2026 make the candidate eligible, usable until a year after the version closes', () => {
    const events = [ccp('RNCP38665', 'RNCP38665BC01', '2025-10-06'), ccp('RNCP38665', 'RNCP38665BC02', '2026-04-02', 's2')];
    const line = livret(events, ref, '2026-05-01').find((c) => c.rncp === 'RNCP38665')!;
    expect(line.eligible).toBe(true);
    expect(line.blocs.map((b) => b.usableUntil)).toEqual(['2030-05-12', '2030-05-12']);
    expect(livret(events, ref, '2030-05-12').find((c) => c.rncp === 'RNCP38665')!.eligible).toBe(true);
    expect(livret(events, ref, '2030-05-13').find((c) => c.rncp === 'RNCP38665')!.eligible).toBe(false);
  });

  it('a revision carries blocs over by its correspondences, from when it takes effect', () => {
    const events = [ccp('RNCP32340', 'RNCP32340BC01', '2022-06-01')];
    expect(livret(events, ref, '2024-05-11').map((c) => c.rncp)).toEqual(['RNCP32340']);
    const after = livret(events, ref, '2024-05-12').find((c) => c.rncp === 'RNCP38665')!;
    expect(after.blocs[0]).toMatchObject({
      code: 'RNCP38665BC01',
      acquired: true,
      acquiredAt: '2022-06-01',
      via: { kind: 'correspondence', from: 'RNCP32340', blocs: ['RNCP32340BC01'] },
    });
  });

  it('a bloc carried by a revision stays carried when it later lapses toward the old version (grace year over)', () => {
    const lapsedOld = dated('CcpUsabilityLapsed', { candidateId: 'k', rncp: 'RNCP32340', bloc: 'RNCP32340BC01', usableUntil: '2025-05-11' }, '2025-05-12');
    const events = [ccp('RNCP32340', 'RNCP32340BC01', '2021-06-07'), lapsedOld];
    const lines = livret(events, ref, '2025-09-01');
    expect(lines.find((c) => c.rncp === 'RNCP32340')!.blocs[0]).toMatchObject({ usable: false, lapsed: true });
    expect(lines.find((c) => c.rncp === 'RNCP38665')!.blocs[0]).toMatchObject({ code: 'RNCP38665BC01', usable: true, usableUntil: '2030-05-12' });
  });

  it('a bloc no longer usable on the day the revision takes effect is not carried', () => {
    const events = [ccp('RNCP12505', 'RNCP12505BC01', '2013-01-10'), ccp('RNCP12505', 'RNCP12505BC03', '2013-02-10')];
    expect(livret(events, ref, '2019-08-01').find((c) => c.rncp === 'RNCP32340')).toBeUndefined();
  });

  it('a correspondence that needs two old blocs needs both', () => {
    const one = [ccp('RNCP12505', 'RNCP12505BC01', '2017-01-10')];
    const both = [...one, ccp('RNCP12505', 'RNCP12505BC03', '2018-02-10')];
    expect(livret(one, ref, '2019-08-01').find((c) => c.rncp === 'RNCP32340')?.blocs[0]?.acquired ?? false).toBe(false);
    expect(livret(both, ref, '2019-08-01').find((c) => c.rncp === 'RNCP32340')!.blocs[0]).toMatchObject({ acquired: true, acquiredAt: '2018-02-10' });
  });

  it('a lapse recorded in the ledger makes the bloc unusable from then on, not before', () => {
    const events = [
      ccp('RNCP12505', 'RNCP12505BC01', '2014-03-10'),
      dated('CcpUsabilityLapsed', { candidateId: 'k', rncp: 'RNCP12505', bloc: 'RNCP12505BC01', usableUntil: '2019-03-10' }, '2019-03-11'),
    ];
    expect(livret(events, ref, '2019-03-10')[0]!.blocs[0]).toMatchObject({ usable: true });
    expect(livret(events, ref, '2019-03-11')[0]!.blocs[0]).toMatchObject({ usable: false, lapsed: true });
  });

  it('a titre shows with its certificate code; an annulled one disappears', () => {
    const titre = dated('TitreIssued', { candidateId: 'k', rncp: 'RNCP38665', issuedOn: '2025-10-06', sessionId: 's1', blocs: [] }, '2025-10-06');
    const code = dated(
      'CertificateCodeReserved',
      { candidateId: 'k', issuanceKey: 's1:titre:RNCP38665', code: '7KQ2-M9XD', kind: 'titre', rncp: 'RNCP38665', blocs: [] },
      '2025-10-06',
    );
    const events = [ccp('RNCP38665', 'RNCP38665BC01', '2025-10-06'), ccp('RNCP38665', 'RNCP38665BC02', '2025-10-06'), titre, code];
    expect(livret(events, ref, '2025-10-06')[0]!.titre).toEqual({ issuedAt: '2025-10-06', sessionId: 's1', certificateCode: '7KQ2-M9XD' });
    const annulled = [...events, dated('TitreAnnulled', { candidateId: 'k', rncp: 'RNCP38665', sessionId: 's1', reason: 'r', legalBasis: 'l' }, '2025-12-01')];
    expect(livret(annulled, ref, '2025-12-01')[0]!.titre).toBeNull();
    expect(livret(annulled, ref, '2025-11-30')[0]!.titre).not.toBeNull();
  });
});

describe('property: the livret kept incrementally by the projector equals the livret replayed from the ledger, for any asOf', () => {
  const blocsOf = (rncp: string) => ref.get(rncp)!.version.blocs.map((b) => b.code);
  const step = fc.record({
    days: fc.integer({ min: 0, max: 900 }),
    rncp: fc.constantFrom('RNCP12505', 'RNCP32340', 'RNCP38665'),
    kind: fc.constantFrom('ccp', 'ccp', 'titre', 'check', 'annul'),
    pick: fc.integer({ min: 0, max: 7 }),
  });

  it('holds over random acquisition histories', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), fc.integer({ min: 0, max: 5000 }), async (steps, asOfDays) => {
        const store = new MemoryEventStore();
        const readModels = new MemoryReadModelStore();
        const projector = new Projector(store, readModels, [candidateRecord]);
        const handler = new CommandHandler(store);
        let day = '2014-01-01';
        let n = 0;
        const run = async (command: CandidateCommand) => {
          const now = `${day}T10:00:00.000Z`;
          const result = await handler
            .handle(candidate, candidateStream('k'), command, { commandId: `c${n++}`, actor: 'system:test', correlationId: 'p', now })
            .catch(() => undefined);
          if (result?.events.length) {
            const slice = await store.read(candidateStream('k'), result.events[0]!.version);
            for (const commit of slice.commits) await projector.apply(commit);
          }
        };
        await run({ type: 'RegisterCandidate', candidateId: 'k', centreId: 'c', centre: { centreId: 'c' } });
        for (const s of steps) {
          day = addDays(day, s.days);
          const version = ref.get(s.rncp)!.version;
          const blocs = blocsOf(s.rncp);
          const bloc = blocs[s.pick % blocs.length]!;
          const enrolment = { kind: s.kind === 'titre' ? ('titre' as const) : ('ccp' as const), route: 'formation_continue' as const, blocs, startsOn: day, endsOn: day };
          const recorded = {
            type: 'RecordSessionOutcome' as const,
            candidateId: 'k',
            sessionId: `s${n}`,
            version,
            decidedOn: day,
            enrolment,
            titreRoute: 'session' as const,
            usableBlocs: [],
          };
          if (s.kind === 'ccp') await run({ ...recorded, outcome: 'ccp', blocs: [bloc] });
          if (s.kind === 'titre') await run({ ...recorded, outcome: 'titre', blocs });
          if (s.kind === 'check') await run({ type: 'RecordUsabilityCheck', candidateId: 'k', version, bloc, today: day });
          if (s.kind === 'annul') await run({ type: 'AnnulSessionDecision', candidateId: 'k', sessionId: `s${Math.max(0, n - 2)}`, note: undefined });
        }
        const asOf = addDays('2014-01-01', asOfDays);
        const doc = (await readDoc<CandidateRecordDoc>(readModels, candidateRecord, 'k'))!.doc;
        const replayed = (await store.read(candidateStream('k'))).commits
          .flatMap(recordedEvents)
          .filter((e) => isLivretEvent(e.type))
          .map((e) => ({ type: e.type, data: e.data, recordedOn: ledgerDate(e.meta.occurredAt) }) as DatedEvent);
        expect(livret(doc.events, ref, asOf)).toEqual(livret(replayed, ref, asOf));
      }),
      { numRuns: 60 },
    );
  });
});
