import { Logger } from '@aws-lambda-powertools/logger';
import { EncryptedPersonVault, MemoryCiphertextStore, MemoryKeyStore } from '../../functions/adapters/encrypted-person-vault.js';
import { MemoryDocumentStore } from '../../functions/adapters/memory-document-store.js';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { MemoryIdempotencyStore } from '../../functions/adapters/memory-idempotency-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import { projections } from '../../functions/projections/index.js';
import { Projector } from '../../functions/projections/projector.js';
import { loadReferential } from '../../functions/referential/load-referential.js';
import type { Clock } from '../../functions/ports/clock.js';
import { CommandHandler } from '../../functions/shared/command-handler.js';
import type { LedgerDeps } from '../../functions/shared/deps.js';
import type { Commit } from '../../events/envelope.js';

/** A settable clock for tests. */
export class TestClock implements Clock {
  constructor(private instant = '2025-09-01T08:00:00.000Z') {}
  now() {
    return this.instant;
  }
  set(instant: string) {
    this.instant = new Date(instant).toISOString();
  }
}

/**
 * Every port in memory, with the projector applied synchronously after each commit (await `settle()`), and
 * the referential loaded: for handler tests through the route manifest.
 */
export async function memoryDeps(options: { clock?: TestClock; referential?: boolean } = {}) {
  const pending: Commit[] = [];
  const store = new MemoryEventStore((commit) => pending.push(commit));
  const readModels = new MemoryReadModelStore();
  const projector = new Projector(store, readModels, projections);
  const clock = options.clock ?? new TestClock();
  const deps: LedgerDeps = {
    store,
    commands: new CommandHandler(store),
    readModels,
    idempotency: new MemoryIdempotencyStore(),
    clock,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    vault: new EncryptedPersonVault(new MemoryKeyStore(), new MemoryCiphertextStore()),
    documents: new MemoryDocumentStore(),
    exports: new MemoryDocumentStore(),
  };
  const settle = async () => {
    while (pending.length) await projector.apply(pending.shift()!);
  };
  if (options.referential !== false) {
    await loadReferential(deps.commands, clock);
    await settle();
  }
  return { deps, store, readModels, projector, clock, settle };
}
