import { describe, expect, it } from 'vitest';
import { accessRows } from '../../web/src/lib/access-log.js';

const line = (at: string, role: string, id: string, purpose: 'session' | 'centre-candidates' = 'session') => ({ at, purpose, reader: { role, id } });

describe('the access log as the candidate reads it', () => {
  it('one row per reader, day and purpose, counted, newest first', () => {
    const rows = accessRows([
      line('2025-09-01T08:00:00.000Z', 'centre', 'c1', 'centre-candidates'),
      line('2025-09-01T09:00:00.000Z', 'centre', 'c1', 'centre-candidates'),
      line('2025-09-01T10:00:00.000Z', 'centre', 'c1', 'session'),
      line('2025-10-07T08:00:00.000Z', 'juror', 'j1'),
      line('2025-10-07T08:05:00.000Z', 'juror', 'j2'),
      line('2025-10-07T08:10:00.000Z', 'juror', 'j1'),
      line('2025-10-08T08:00:00.000Z', 'juror', 'j1'),
    ]);
    expect(rows.map((r) => [r.day, r.reader.id, r.purpose, r.count])).toEqual([
      ['2025-10-08', 'j1', 'session', 1],
      ['2025-10-07', 'j1', 'session', 2],
      ['2025-10-07', 'j2', 'session', 1],
      ['2025-09-01', 'c1', 'session', 1],
      ['2025-09-01', 'c1', 'centre-candidates', 2],
    ]);
  });

  it('two jurors of the session are told apart, unnamed: juré 1 and juré 2 in the order they first read', () => {
    const rows = accessRows([
      line('2025-10-07T08:00:00.000Z', 'juror', 'j-b'),
      line('2025-10-07T08:05:00.000Z', 'juror', 'j-a'),
      line('2025-10-07T08:06:00.000Z', 'centre', 'c1'),
      line('2025-10-08T08:00:00.000Z', 'juror', 'j-b'),
    ]);
    expect(rows.map((r) => [r.day, r.reader.id, r.jurorNumber])).toEqual([
      ['2025-10-08', 'j-b', 1],
      ['2025-10-07', 'c1', undefined],
      ['2025-10-07', 'j-a', 2],
      ['2025-10-07', 'j-b', 1],
    ]);
  });
});
