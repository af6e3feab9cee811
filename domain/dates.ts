/** Calendar dates (`YYYY-MM-DD`): compared as strings, shifted in UTC so no time zone can move a day. */

export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

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
  let firstUncovered = from;
  const sorted = [...windows].sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
  for (const w of sorted) {
    if (w.validFrom > firstUncovered) return false;
    if (w.validUntil >= firstUncovered) firstUncovered = addDays(w.validUntil, 1);
    if (firstUncovered > to) return true;
  }
  return firstUncovered > to;
}

/** The same calendar day `years` later (29 February → 28 February in a common year). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}
