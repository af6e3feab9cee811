import { describe, expect, it } from 'vitest';
import { certificationStream } from '../../domain/certification.js';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import { certificationCatalogue, type CatalogueEntry } from '../../functions/projections/certification-catalogue.js';
import { Projector } from '../../functions/projections/projector.js';
import { loadReferential } from '../../functions/referential/load-referential.js';
import { CommandHandler } from '../../functions/shared/command-handler.js';
import { loadReferentialFiles } from '../../referential/referential-file.js';
import { TestClock } from '../support/memory-deps.js';
import { readDoc } from '../../functions/projections/projection.js';

describe('the referential records the end of a version as data: prorogations, then closure (DESIGN.md rule 11)', () => {
  it('appends them once, in order, and the catalogue serves the version as in effect', async () => {
    const files = (await loadReferentialFiles()).map((f) =>
      f.registration.rncp === 'RNCP38665'
        ? { ...f, prorogations: [{ validUntil: '2030-12-31', decidedOn: '2029-04-01', assumptions: ['test'] }], closure: { closedOn: '2030-12-31', assumptions: ['test'] } }
        : f,
    );
    const store = new MemoryEventStore();
    const commands = new CommandHandler(store);
    const clock = new TestClock('2029-04-01T08:00:00.000Z');
    await loadReferential(commands, clock, files);
    const again = await loadReferential(commands, clock, files);
    expect(again.appended).toBe(0);

    const types = (await store.read(certificationStream('RNCP38665'))).commits.flatMap((c) => c.events.map((e) => e.type));
    expect(types).toEqual(['CertificationVersionRegistered', 'CertificationVersionProrogued', 'CertificationVersionClosed']);
    const readModels = new MemoryReadModelStore();
    const projector = new Projector(store, readModels, [certificationCatalogue]);
    for (const commit of (await store.read(certificationStream('RNCP38665'))).commits) await projector.apply(commit);
    const entry = (await readDoc<CatalogueEntry>(readModels, certificationCatalogue, 'RNCP38665'))!.doc;
    expect(entry.version.validUntil).toBe('2030-12-31');
    expect(entry.closure).toEqual({ closedOn: '2030-12-31', graceUntil: '2031-12-31' });
    expect(entry.prorogations).toEqual([{ previousValidUntil: '2029-05-12', validUntil: '2030-12-31', decidedOn: '2029-04-01' }]);
  });

  it('a ledger whose versions were registered before this reading of the rules is amended at start, not refused', async () => {
    const current = await loadReferentialFiles();
    // As main registered them: without the switches this change added, and the 2006 regime unbounded.
    const before = current.map((f) => {
      const { capitalisationFinalInterviewRequired: _c, agrementsExtendIntoGrace: _a, ...older } = f.registration;
      return { ...f, registration: { ...older, regime: older.regime.kind === 'fixed-years' ? { kind: 'fixed-years' as const, years: older.regime.years } : older.regime } };
    });
    const store = new MemoryEventStore();
    const commands = new CommandHandler(store);
    const clock = new TestClock('2025-09-01T08:00:00.000Z');
    await loadReferential(commands, clock, before);
    const after = await loadReferential(commands, clock, current);
    expect(after.appended).toBe(current.length);
    const amended = (await store.read(certificationStream('RNCP12505'))).commits.flatMap((c) => c.events).find((e) => e.type === 'CertificationVersionAmended');
    expect(amended?.data).toMatchObject({ changed: ['capitalisationFinalInterviewRequired', 'regime'] });
    expect((await loadReferential(commands, clock, current)).appended).toBe(0);
  });
});
