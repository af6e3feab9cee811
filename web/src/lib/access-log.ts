import type { ApiAnswer } from './wire.js';

type AccessLine = ApiAnswer<'GET /candidates/{candidateId}/access-log'>[number];

/** One row per reader, day and purpose: a page viewed ten times in a morning is one consultation, counted. */
export function accessRows(lines: readonly AccessLine[]) {
  // Newest first, as the page lists them.
  const rows = new Map<string, { day: string; reader: AccessLine['reader']; purpose: string; count: number }>();
  for (const line of [...lines].reverse()) {
    const day = line.at.slice(0, 10);
    const key = `${day}|${line.reader.role}|${line.reader.id}|${line.purpose}`;
    const row = rows.get(key);
    if (row) row.count += 1;
    else rows.set(key, { day, reader: line.reader, purpose: line.purpose, count: 1 });
  }
  return [...rows.values()];
}
