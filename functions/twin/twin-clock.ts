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
  /** Moves a virtual clock forward to `instant` (never back). */
  set(instant: Date): void;
}

export class ClockCannotGoBack extends Error {}

const saved = z.object({ now: z.iso.datetime() });

export function twinClock(setting: string, file: string): TwinClock {
  if (setting === 'system')
    return {
      virtual: false,
      now: () => new Date(),
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
  return {
    virtual: true,
    now: () => new Date(now),
    set: (instant) => {
      if (instant < now) throw new ClockCannotGoBack(`the clock is at ${now.toISOString()} and never goes back`);
      now = new Date(instant);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ now: now.toISOString() }));
    },
  };
}
