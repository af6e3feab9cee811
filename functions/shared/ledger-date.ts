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
  // Since the EU's summer-time rules (1977 on), Paris is a whole number of hours from UTC and changes offset on
  // the hour: within one UTC hour of an ISO instant the date is the same, so the last hour's answer serves (a busy
  // route asks for it on every request).
  const hour = instant >= '1977' && UTC_HOUR.test(instant) ? instant.slice(0, 13) : undefined;
  if (hour !== undefined && hour === lastHour) return lastDate;
  paris ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
  const parts = Object.fromEntries(paris.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  // The last hour of 9999 in UTC is already 10000 in Paris: the ledger's dates stop at LAST_DATE.
  const date = Number(parts.year) > 9999 ? LAST_DATE : `${parts.year}-${parts.month}-${parts.day}`;
  if (hour !== undefined) [lastHour, lastDate] = [hour, date];
  return date;
}

const UTC_HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;
let lastHour: string | undefined;
let lastDate = '';
