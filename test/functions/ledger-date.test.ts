import { afterEach, describe, expect, it, vi } from 'vitest';

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
});
