import { type Scheduler, type Timer, timerExecutionName } from '../ports/scheduler.js';
import type { Clock } from '../ports/clock.js';
import type { Workflows } from '../ports/workflows.js';
import type { DueTimers } from './local-scheduler.js';

/** Timers in memory, fired like the local ones: for tests that run without dynalite. */
export class MemoryScheduler implements Scheduler, DueTimers {
  private readonly timers = new Map<string, Timer>();

  constructor(
    private readonly workflows: () => Workflows,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  async schedule(timer: Timer): Promise<void> {
    if (timer.at <= this.clock.now()) {
      await this.workflows().start(timer.workflow, timerExecutionName(timer), timer.input);
      return;
    }
    const key = `${timer.at}|${timer.name}`;
    if (!this.timers.has(key)) this.timers.set(key, structuredClone(timer));
  }

  async nextDue(until: string): Promise<Timer | undefined> {
    const key = [...this.timers.keys()].sort()[0];
    return key && key <= `${until}|\uffff` ? this.timers.get(key) : undefined;
  }

  async fire(timer: Timer) {
    const started = await this.workflows().start(timer.workflow, timerExecutionName(timer), timer.input);
    this.timers.delete(`${timer.at}|${timer.name}`);
    return started;
  }

  pending(): Timer[] {
    return [...this.timers.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t);
  }
}
