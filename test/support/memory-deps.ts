import { composeMemoryLedger, type MemoryPlatformOptions } from '../../functions/composition/memory-ledger.js';
import type { Clock } from '../../functions/ports/clock.js';
import { advanceThroughTimers } from '../../functions/local/timer-clock.js';

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

export interface MemoryDepsOptions extends Omit<MemoryPlatformOptions, 'clock'> {
  clock?: TestClock;
  referential?: boolean;
}

/**
 * The ledger's one composition with every port in memory (functions/composition/memory-ledger.ts): the projector
 * and the reactions run after each commit, the workflows on the local runner — `settle()` waits until all of it is
 * done — and the start-up duties (the referential) done: for handler tests through the route manifest.
 */
export async function memoryDeps(options: MemoryDepsOptions = {}) {
  const clock = options.clock ?? new TestClock();
  const memory = composeMemoryLedger({ ...options, clock });
  const { ledger, settle } = memory;
  /** Moves the clock forward through every due timer, as the local runtime does. */
  const advanceTo = async (instant: string) =>
    advanceThroughTimers({ now: () => clock.now(), set: (i) => clock.set(i) }, memory.scheduler, new Date(instant).toISOString(), settle);
  if (options.referential !== false) {
    await ledger.startUp();
    await settle();
  }
  return {
    ledger,
    deps: ledger.deps,
    store: ledger.deps.store,
    readModels: memory.readModels,
    projector: ledger.projector,
    clock,
    settle,
    get workflows() {
      return memory.workflows;
    },
    get scheduler() {
      return memory.scheduler;
    },
    notifier: memory.notifier,
    advanceTo,
  };
}
