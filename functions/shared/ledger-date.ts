import { LAST_DATE } from '../../domain/dates.js';

// Built on first use, not at import: the first Intl.DateTimeFormat of a process loads ICU's locale and time-zone
// data (tens of milliseconds), which every bundle importing this module would otherwise pay in its cold start,
// whether or not the request it serves needs a date.
let paris: Intl.DateTimeFormat | undefined;

/**
 * The calendar date (`YYYY-MM-DD`) of a ledger instant. Session, agrément and habilitation dates are French
 * calendar dates, so the day turns at midnight in Paris, not in UTC.
 */
export function ledgerDate(instant: string): string {
  paris ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
  const parts = Object.fromEntries(paris.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  // The last hour of 9999 in UTC is already 10000 in Paris: the ledger's dates stop at LAST_DATE.
  return Number(parts.year) > 9999 ? LAST_DATE : `${parts.year}-${parts.month}-${parts.day}`;
}
