import { LAST_DATE } from '../../domain/dates.js';

const paris = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar date (`YYYY-MM-DD`) of a ledger instant. Session, agrément and habilitation dates are French
 * calendar dates, so the day turns at midnight in Paris, not in UTC.
 */
export function ledgerDate(instant: string): string {
  const parts = Object.fromEntries(paris.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  // The last hour of 9999 in UTC is already 10000 in Paris: the ledger's dates stop at LAST_DATE.
  return Number(parts.year) > 9999 ? LAST_DATE : `${parts.year}-${parts.month}-${parts.day}`;
}
