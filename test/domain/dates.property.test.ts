import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { addDays, addYears, coversEveryDate, LAST_DATE } from '../../domain/dates.js';
import { ledgerDate } from '../../functions/shared/ledger-date.js';

/**
 * The ledger compares calendar dates as `YYYY-MM-DD` strings (deciders, livret, read models). That is sound only
 * while every date it makes has four digits: over the whole range the clock allows (1900–9999), string order is
 * date order, and the date arithmetic never leaves the format (issue 17: a clock at the end of 9999 used to give
 * "10000-01-01" and invert every comparison).
 */
const FIRST = Date.UTC(1900, 0, 1);
const LAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const instant = fc.integer({ min: FIRST, max: LAST }).map((ms) => new Date(ms));
const date = instant.map((d) => d.toISOString().slice(0, 10));
const ISO = /^\d{4}-\d{2}-\d{2}$/;
const order = (a: string, b: string) => Math.sign(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`));
const stringOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('calendar dates from 1900 to 9999', () => {
  test.prop([date, date])('string order is date order', (a, b) => {
    expect(stringOrder(a, b)).toBe(order(a, b));
  });

  test.prop([date, fc.integer({ min: -40_000, max: 40_000 })])('addDays stays a date, moves the way it is asked, and stops at the last date', (d, n) => {
    const moved = addDays(d, n);
    expect(moved).toMatch(ISO);
    if (moved === LAST_DATE) return;
    if (Date.parse(`${d}T00:00:00Z`) + n * 86_400_000 < FIRST) return;
    expect(stringOrder(moved, d)).toBe(Math.sign(n));
  });

  test.prop([date, fc.integer({ min: 0, max: 200 })])('addYears never goes back, and stays a date', (d, n) => {
    const moved = addYears(d, n);
    expect(moved).toMatch(ISO);
    expect(moved >= d).toBe(true);
  });

  test.prop([instant])('the ledger date of any instant the clock allows is a four-digit date', (i) => {
    const day = ledgerDate(i.toISOString());
    expect(day).toMatch(ISO);
    expect(day <= LAST_DATE).toBe(true);
  });

  test.prop([date, date])('a window to the last date covers every date after its start', (from, to) => {
    fc.pre(from <= to);
    expect(coversEveryDate([{ validFrom: from, validUntil: LAST_DATE }], from, to)).toBe(true);
    expect(coversEveryDate([{ validFrom: from, validUntil: LAST_DATE }], from, LAST_DATE)).toBe(true);
  });
});
