import { Logger } from '@aws-lambda-powertools/logger';
import { EncryptedPersonVault, MemoryCiphertextStore, MemoryKeyStore } from '../../functions/adapters/encrypted-person-vault.js';
import { MemoryDocumentStore } from '../../functions/adapters/memory-document-store.js';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { MemoryIdempotencyStore } from '../../functions/adapters/memory-idempotency-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import { MemoryScheduler } from '../../functions/adapters/memory-scheduler.js';
import { KeyRingSigner, MemoryKeyRingStore } from '../../functions/adapters/key-ring-signer.js';
import { MemoryRateLimiter } from '../../functions/adapters/memory-rate-limiter.js';
import { MemoryVerificationLog } from '../../functions/adapters/memory-verification-log.js';
import { MemoryAccountDirectory } from '../../functions/adapters/memory-account-directory.js';
import { LocalWorkflows } from '../../functions/local/local-workflows.js';
import { advanceThroughTimers } from '../../functions/local/timer-clock.js';
import { projections } from '../../functions/projections/index.js';
import { Projector } from '../../functions/projections/projector.js';
import { startCapitalisation } from '../../functions/reactions/capitalisation-trigger.js';
import { compensateAnnulment } from '../../functions/reactions/decision-annulment.js';
import { loadReferential } from '../../functions/referential/load-referential.js';
import type { Clock } from '../../functions/ports/clock.js';
import type { EventStore } from '../../functions/ports/event-store.js';
import { CommandHandler } from '../../functions/shared/command-handler.js';
import type { LedgerDeps } from '../../functions/shared/deps.js';
import { workflows as workflowDefinitions } from '../../infra/workflows/index.js';
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

export interface MemoryDepsOptions {
  clock?: TestClock;
  referential?: boolean;
  /** Another EventStore (dynalite) that calls `onCommitted` with each new commit. */
  eventStore?: (onCommitted: (commit: Commit) => void) => EventStore;
  /** Passed to the local workflow runner (failure injection, retry intervals). */
  workflowOptions?: ConstructorParameters<typeof LocalWorkflows>[2];
}

/**
 * Every port in memory (unless told otherwise), the projector and the reactions applied after each commit and
 * the workflows run by the local runner — `settle()` waits until all of it is done — and the referential loaded:
 * for handler tests through the route manifest.
 */
export async function memoryDeps(options: MemoryDepsOptions = {}) {
  const pending: Commit[] = [];
  const store = options.eventStore ? options.eventStore((c) => pending.push(c)) : new MemoryEventStore((c) => pending.push(c));
  const readModels = new MemoryReadModelStore();
  const projector = new Projector(store, readModels, projections);
  const clock = options.clock ?? new TestClock();
  const workflows: LocalWorkflows = new LocalWorkflows(() => deps, workflowDefinitions, { retryIntervalMs: 0, ...options.workflowOptions });
  const scheduler = new MemoryScheduler(() => workflows);
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
    workflows,
    scheduler,
    accounts: new MemoryAccountDirectory(),
    signer: new KeyRingSigner(new MemoryKeyRingStore(), clock),
    rateLimiter: new MemoryRateLimiter({ limit: 1_000_000, windowSeconds: 60 }),
    verifications: new MemoryVerificationLog(),
    publicBaseUrl: 'https://ledger.test',
  };
  const settle = async () => {
    do {
      while (pending.length) {
        const commit = pending.shift()!;
        await projector.apply(commit);
        await startCapitalisation(workflows, commit);
        await compensateAnnulment(deps, commit);
      }
      await workflows.drain();
    } while (pending.length || workflows.running);
  };
  /** Moves the clock forward through every due timer, as the local runtime does. */
  const advanceTo = async (instant: string) =>
    advanceThroughTimers({ now: () => clock.now(), set: (i) => clock.set(i) }, scheduler, new Date(instant).toISOString(), settle);
  if (options.referential !== false) {
    await loadReferential(deps.commands, clock);
    await settle();
  }
  return { deps, store, readModels, projector, clock, settle, workflows, scheduler, advanceTo };
}
