import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../functions/ports/clock.js';

const ISO_WITH_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Readings never go back and are ISO 8601 UTC instants with milliseconds, as events record them. */
function readingsHold(clock: Clock) {
  const readings = Array.from({ length: 2000 }, () => clock.now());
  for (const r of readings) {
    expect(r).toMatch(ISO_WITH_MS);
    expect(new Date(r).toISOString()).toBe(r);
  }
  for (let i = 1; i < readings.length; i++) expect(readings[i]! >= readings[i - 1]!).toBe(true);
}

/** A clock that follows the system's time. */
export function systemClockContract(name: string, make: () => Clock) {
  describe(`Clock contract (system): ${name}`, () => {
    it('reads the system time, as ISO instants that never go back', async () => {
      const clock = make();
      const before = Date.now();
      const reading = clock.now();
      const after = Date.now();
      expect(Date.parse(reading)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(reading)).toBeLessThanOrEqual(after);
      readingsHold(clock);
      await new Promise((r) => setTimeout(r, 15));
      expect(clock.now() > reading).toBe(true);
    });
  });
}

export interface VirtualClockHarness {
  clock: Clock;
  /** Moves the clock; rejects with an error whose `code` is the refusal's problem type when it may not move. */
  move(instant: string): Promise<void>;
}

/** A virtual clock (LEDGER_CLOCK=virtual:…) made on `dataDir`, where it keeps where it stands. */
export function virtualClockContract(name: string, make: (start: string, dataDir: string) => VirtualClockHarness) {
  describe(`Clock contract (virtual): ${name}`, () => {
    const dirs: string[] = [];
    const fresh = (start: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'clock-'));
      dirs.push(dir);
      return { dir, ...make(start, dir) };
    };
    afterEach(() => {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });
    const refusal = (p: Promise<void>) =>
      p.then(
        () => 'moved',
        (e: { code?: string }) => e.code ?? String(e),
      );

    it('stands at its start until moved, then at exactly the instant it was moved to', async () => {
      const { clock, move } = fresh('2025-09-01T08:00:00Z');
      expect(clock.now()).toBe('2025-09-01T08:00:00.000Z');
      await new Promise((r) => setTimeout(r, 15));
      readingsHold(clock);
      expect(clock.now()).toBe('2025-09-01T08:00:00.000Z');
      await move('2026-03-01T10:30:00.250Z');
      expect(clock.now()).toBe('2026-03-01T10:30:00.250Z');
      await move('2026-03-01T10:30:00.250Z'); // to where it stands: nothing to do, no refusal
      expect(clock.now()).toBe('2026-03-01T10:30:00.250Z');
    });

    it('never goes back, even by a millisecond, and a refused move leaves it where it was', async () => {
      const { clock, move } = fresh('2025-09-01T08:00:00Z');
      await move('2030-01-01T00:00:00.000Z');
      expect(await refusal(move('2029-12-31T23:59:59.999Z'))).toBe('clock-cannot-go-back');
      expect(clock.now()).toBe('2030-01-01T00:00:00.000Z');
    });

    it('moves at most a century at a time, and never past 9999-12-31 (four-digit years)', async () => {
      const { clock, move } = fresh('2025-09-01T08:00:00Z');
      expect(await refusal(move('2126-01-01T00:00:00Z'))).toBe('clock-move-too-far');
      expect(clock.now()).toBe('2025-09-01T08:00:00.000Z');
      await move('2124-09-01T08:00:00Z');
      const late = fresh('9950-01-01T00:00:00Z');
      // One millisecond past the last day (an offset puts it in 10000 UTC), refused with a message naming that limit.
      const past = await late.move('9999-12-31T23:59:59.999-00:01').then(
        () => undefined,
        (e: { code?: string; message?: string }) => e,
      );
      expect([past?.code, past?.message]).toEqual(['clock-out-of-range', expect.stringContaining('9999-12-31T23:59:59.999Z')]);
      expect(late.clock.now()).toBe('9950-01-01T00:00:00.000Z');
      // Every instant of that last day is the clock's (issue 17, D6: 06:00 was refused as "past 9999-12-31").
      await late.move('9999-12-31T06:00:00Z');
      await late.move('9999-12-31T23:59:59.999Z');
      expect(late.clock.now()).toBe('9999-12-31T23:59:59.999Z');
    });

    it('a restart on the same data dir resumes where it stands, never back at its start; a later start wins', async () => {
      const { dir, move } = fresh('2025-09-01T08:00:00Z');
      await move('2027-01-01T00:00:00Z');
      expect(make('2025-09-01T08:00:00Z', dir).clock.now()).toBe('2027-01-01T00:00:00.000Z');
      expect(make('2028-06-01T00:00:00Z', dir).clock.now()).toBe('2028-06-01T00:00:00.000Z');
    });
  });
}
