import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { refuse } from '../../domain/errors.js';
import type { Clock } from '../ports/clock.js';

/** Dates are compared as ISO strings, which holds for four-digit years only. */
/** The last instant of 9999-12-31 (UTC): the whole last day is the clock's, as its refusal says (issue 17, D6). */
const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** A move larger than this is a mistake (or an attack on the local controls), never a demo. */
const MAX_MOVE_MS = 100 * 365.25 * 86_400_000;

export type ClockSetting = { kind: 'system' } | { kind: 'virtual'; start: string };

export function parseClockSetting(value: string | undefined): ClockSetting {
  if (!value || value === 'system') return { kind: 'system' };
  const match = /^virtual:(.+)$/.exec(value);
  const instant = match && new Date(match[1]!);
  if (!instant || Number.isNaN(instant.getTime())) {
    throw new Error(`LEDGER_CLOCK must be "system" or "virtual:<ISO instant>", not "${value}"`);
  }
  return { kind: 'virtual', start: instant.toISOString() };
}

/**
 * The ledger's clock when running locally. A virtual clock only moves forward, on request, and persists where
 * it stands in the data dir, so a restart with the same LEDGER_CLOCK resumes there rather than going back.
 */
export class LocalClock implements Clock {
  private virtualNow: string | undefined;
  private mover: ((target: string) => Promise<void>) | undefined;

  constructor(
    readonly setting: ClockSetting,
    private readonly dataDir: string,
  ) {
    if (setting.kind === 'virtual') {
      const saved = this.saved();
      this.virtualNow = saved && saved > setting.start ? saved : setting.start;
    }
  }

  get isVirtual() {
    return this.setting.kind === 'virtual';
  }

  now(): string {
    return this.virtualNow ?? new Date().toISOString();
  }

  /** How a move happens: the runtime walks through the due timers (timer-clock.ts). */
  setMover(mover: (target: string) => Promise<void>) {
    this.mover = mover;
  }

  /** Sets the virtual time and persists it; never backwards. */
  set(instant: string): void {
    if (!this.virtualNow || instant <= this.virtualNow) return;
    this.virtualNow = instant;
    writeFileSync(this.file(), JSON.stringify({ now: instant }));
  }

  async moveTo(instant: string): Promise<void> {
    if (!this.virtualNow) throw refuse('clock-not-virtual', 'the clock follows the system time');
    const target = Date.parse(instant);
    if (!(target <= LATEST_INSTANT)) throw refuse('clock-out-of-range', 'the clock cannot go past the end of 9999-12-31 (9999-12-31T23:59:59.999Z: four-digit years only)');
    if (target < Date.parse(this.virtualNow)) throw refuse('clock-cannot-go-back', `the clock is at ${this.virtualNow} and never goes back`);
    if (target - Date.parse(this.virtualNow) > MAX_MOVE_MS) throw refuse('clock-move-too-far', 'the clock moves at most a century at a time');
    if (this.mover) await this.mover(instant);
    else this.set(instant);
  }

  private file() {
    return join(this.dataDir, 'virtual-clock.json');
  }

  private saved(): string | undefined {
    try {
      return (JSON.parse(readFileSync(this.file(), 'utf8')) as { now: string }).now;
    } catch {
      return undefined;
    }
  }
}
