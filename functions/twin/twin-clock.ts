import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The twin's clock, as `npm start`'s: the system's, or with LEDGER_CLOCK=virtual:<instant> a virtual one that
 * only moves forward when told (POST /_local/clock), kept in the data dir across restarts. Functions see it
 * as their `Date` (the runner shifts it in each container); token lifetimes stay on the system clock.
 */
export interface TwinClock {
  readonly virtual: boolean;
  now(): Date;
  /** Throws a ClockRefused when a virtual clock may not move to `instant`: back, too far, or past 9999. */
  check(instant: Date): void;
  /** Moves a virtual clock forward to `instant` (never back, as `check` says). */
  set(instant: Date): void;
}

/** A move the clock refuses, with the problem type `npm start` answers for it (API.md, local controls). */
export class ClockRefused extends Error {
  constructor(
    readonly code: 'clock-cannot-go-back' | 'clock-move-too-far' | 'clock-out-of-range',
    message: string,
  ) {
    super(message);
  }
}
export class ClockCannotGoBack extends ClockRefused {
  constructor(message: string) {
    super('clock-cannot-go-back', message);
  }
}

/** The bounds of `npm start`'s clock: dates are compared as ISO strings (four-digit years), a century a move at most. */
/** The last instant of 9999-12-31 (UTC): the whole last day is the clock's, as its refusal says (issue 17, D6). */
const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MAX_MOVE_MS = 100 * 365.25 * 86_400_000;

const saved = z.object({ now: z.iso.datetime() });

export function twinClock(setting: string, file: string): TwinClock {
  if (setting === 'system')
    return {
      virtual: false,
      now: () => new Date(),
      check: () => {
        throw new Error('the clock follows the system time');
      },
      set: () => {
        throw new Error('the clock follows the system time');
      },
    };
  const start = /^virtual:(.+)$/.exec(setting)?.[1];
  if (!start || Number.isNaN(Date.parse(start))) throw new Error(`LEDGER_CLOCK=${setting}: expected system or virtual:<ISO instant>`);
  let now = new Date(start);
  if (existsSync(file)) {
    const kept = new Date(saved.parse(JSON.parse(readFileSync(file, 'utf8'))).now);
    if (kept > now) now = kept;
  }
  const check = (instant: Date) => {
    if (!(instant.getTime() <= LATEST_INSTANT))
      throw new ClockRefused('clock-out-of-range', 'the clock cannot go past the end of 9999-12-31 (9999-12-31T23:59:59.999Z: four-digit years only)');
    if (instant < now) throw new ClockCannotGoBack(`the clock is at ${now.toISOString()} and never goes back`);
    if (instant.getTime() - now.getTime() > MAX_MOVE_MS) throw new ClockRefused('clock-move-too-far', 'the clock moves at most a century at a time');
  };
  return {
    virtual: true,
    now: () => new Date(now),
    check,
    set: (instant) => {
      check(instant);
      now = new Date(instant);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ now: now.toISOString() }));
    },
  };
}
