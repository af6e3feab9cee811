import type { DueTimers } from '../adapters/local-scheduler.js';

export interface SettableClock {
  now(): string;
  /** Sets the virtual time (forward only). */
  set(instant: string): void;
}

/**
 * Moves a virtual clock to `target` the way time would pass: once what is under way has ended, through each due timer in order, the clock set to
 * the timer's instant while its workflow runs to its end, so what the timers do is recorded when it is due.
 */
export async function advanceThroughTimers(clock: SettableClock, timers: DueTimers, target: string, settle: () => Promise<void>): Promise<number> {
  // What is under way (a workflow planning the very timers to walk through) ends first, as on the twin.
  await settle();
  let fired = 0;
  for (;;) {
    const next = await timers.nextDue(target);
    if (!next) break;
    if (next.at > clock.now()) clock.set(next.at);
    await timers.fire(next);
    await settle();
    fired++;
  }
  if (target > clock.now()) clock.set(target);
  await settle();
  return fired;
}
