import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ledgerDate } from '../../functions/shared/ledger-date.js';

const RealDateTimeFormat = Intl.DateTimeFormat;
afterEach(() => {
  Intl.DateTimeFormat = RealDateTimeFormat;
});

describe('ledgerDate', () => {
  it('builds no Intl formatter when imported (every bundle reaching it would pay ICU at cold start), one at its first date', async () => {
    vi.resetModules();
    let built = 0;
    Intl.DateTimeFormat = class extends RealDateTimeFormat {
      constructor(...args: ConstructorParameters<typeof RealDateTimeFormat>) {
        super(...args);
        built++;
      }
    } as typeof Intl.DateTimeFormat;
    const { ledgerDate } = await import('../../functions/shared/ledger-date.js');
    expect(built).toBe(0);
    // Summer time: 22:30 UTC is already the next day in Paris; winter time: 22:59 UTC is still the same day.
    expect(ledgerDate('2025-06-30T22:30:00.000Z')).toBe('2025-07-01');
    expect(ledgerDate('2025-01-15T22:59:59.000Z')).toBe('2025-01-15');
    expect(built).toBe(1);
  });

  it('answers as Paris’s calendar does for any instant, in any order, the last hour’s answer reused within its hour', () => {
    const paris = new RealDateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
    const reference = (instant: string) => paris.format(new Date(instant));
    // Around the changes of offset (the last Sundays of March and October, 01:00 UTC) and midnight in Paris.
    const near = fc
      .record({ year: fc.integer({ min: 1977, max: 2100 }), month: fc.constantFrom(2, 9, 5, 11), day: fc.integer({ min: 20, max: 31 }), hour: fc.integer({ min: 0, max: 23 }) })
      .chain(({ year, month, day, hour }) => fc.integer({ min: 0, max: 3_599_999 }).map((ms) => new Date(Date.UTC(year, month, day, hour) + ms)));
    const anyInstant = fc.date({ min: new Date('1977-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(fc.array(fc.oneof(near, anyInstant), { minLength: 1, maxLength: 40 }), (instants) => {
        for (const instant of instants) {
          const iso = instant.toISOString();
          expect(ledgerDate(iso)).toBe(reference(iso));
          // The same hour asked again at its start and end: the reused answer is still Paris's.
          const hour = iso.slice(0, 13);
          expect(ledgerDate(`${hour}:00:00.000Z`)).toBe(reference(`${hour}:00:00.000Z`));
          expect(ledgerDate(`${hour}:59:59.999Z`)).toBe(reference(`${hour}:59:59.999Z`));
          // Then every hour of that UTC day in turn: Paris's midnight falls inside it.
          for (let h = 0; h < 24; h++) {
            const next = `${iso.slice(0, 11)}${String(h).padStart(2, '0')}:30:00.000Z`;
            expect(ledgerDate(next)).toBe(reference(next));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
