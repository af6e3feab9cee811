/**
 * One-time timers that start a workflow at a given instant, for waits far longer than a Step Functions
 * execution may last (years). AWS: EventBridge Scheduler; local: timers in dynalite fired by the clock.
 */
export interface Timer {
  /** Unique per purpose (`check:<candidate>:<bloc>:<date>`): scheduling the same name again changes nothing. */
  name: string;
  /** ISO 8601 UTC instant. */
  at: string;
  workflow: string;
  input: Record<string, unknown>;
}

/** The execution a timer starts: named after the timer, so firing it twice starts one execution. */
export const timerExecutionName = (timer: Pick<Timer, 'name'>) => timer.name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80);

export interface Scheduler {
  schedule(timer: Timer): Promise<void>;
}
