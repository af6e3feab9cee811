/** Calendar dates (`YYYY-MM-DD`): compared as strings, shifted in UTC so no time zone can move a day. */

/**
 * The last date the ledger knows (its clock stops at 9999: API.md, local controls). A date computed past it is
 * this one: `toISOString` would write "+010000-01-01", which sorts before every 4-digit year and would invert
 * every comparison of strings.
 */
export const LAST_DATE = '9999-12-31';

/** `YYYY-MM-DD` of a UTC instant, never past LAST_DATE. */
export const isoDateOf = (instant: Date): string => (instant.getUTCFullYear() > 9999 ? LAST_DATE : instant.toISOString().slice(0, 10));

export const addDays = (date: string, days: number): string => isoDateOf(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));

/** A window of dates, both ends included (agréments, habilitations, certification versions). */
export interface DateWindow {
  validFrom: string;
  validUntil: string;
}

/**
 * Whether the windows together cover every date from `from` to `to` (both included). Back-to-back windows
 * (a renewal starting the day after the previous one ends) cover the dates across the boundary; a gap does not.
 */
export function coversEveryDate(windows: readonly DateWindow[], from: string, to: string): boolean {
  if (from > to) return true;
  let firstUncovered = from;
  const sorted = [...windows].sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
  for (const w of sorted) {
    if (w.validFrom > firstUncovered) return false;
    // Reaching `to` is enough (and the day after LAST_DATE does not exist to compare with).
    if (w.validUntil >= to) return true;
    if (w.validUntil >= firstUncovered) firstUncovered = addDays(w.validUntil, 1);
  }
  return false;
}

/** The same calendar day `years` later (29 February → 28 February in a common year). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return isoDateOf(target);
}
