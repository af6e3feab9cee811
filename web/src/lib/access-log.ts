import type { ApiAnswer } from './wire.js';

type AccessLine = ApiAnswer<'GET /candidates/{candidateId}/access-log'>[number];

/**
 * One row per reader, day and purpose: a page viewed ten times in a morning is one consultation, counted. The
 * jurors stay unnamed (the candidate is told who read, not given the jurors' names) but are told apart: `jurorNumber`
 * 1, 2… in the order they first read (the lines come oldest first).
 */
export function accessRows(lines: readonly AccessLine[]) {
  const jurorNumbers = new Map<string, number>();
  for (const line of lines) if (line.reader.role === 'juror' && !jurorNumbers.has(line.reader.id)) jurorNumbers.set(line.reader.id, jurorNumbers.size + 1);
  // Newest first, as the page lists them.
  const rows = new Map<string, { day: string; reader: AccessLine['reader']; purpose: string; count: number; jurorNumber?: number }>();
  for (const line of [...lines].reverse()) {
    const day = line.at.slice(0, 10);
    const key = `${day}|${line.reader.role}|${line.reader.id}|${line.purpose}`;
    const row = rows.get(key);
    if (row) row.count += 1;
    else
      rows.set(key, {
        day,
        reader: line.reader,
        purpose: line.purpose,
        count: 1,
        ...(jurorNumbers.has(line.reader.id) && line.reader.role === 'juror' ? { jurorNumber: jurorNumbers.get(line.reader.id)! } : {}),
      });
  }
  return [...rows.values()];
}
