import { describe, expect, it } from 'vitest';
import type { AccessLog, AccessRecord } from '../../functions/ports/access-log.js';

const read = (personId: string, at: string, requestId: string, reader = 'centre:c-1'): AccessRecord => ({ personId, at, requestId, reader, purpose: 'centre-candidates' });

/** Every AccessLog adapter: what a person is shown of who read their data. */
export function accessLogContract(name: string, make: () => Promise<{ log: AccessLog; stop: () => Promise<void> }>) {
  describe(`AccessLog: ${name}`, () => {
    it('lists one person’s reads oldest first, and only theirs', async () => {
      const { log, stop } = await make();
      try {
        await log.record([read('p-1', '2025-10-02T10:00:00.000Z', 'r2', 'juror:j-1'), read('p-2', '2025-10-01T09:00:00.000Z', 'r1')]);
        await log.record([read('p-1', '2025-10-01T09:00:00.000Z', 'r1')]);
        expect((await log.list('p-1')).map((r) => [r.at, r.reader])).toEqual([
          ['2025-10-01T09:00:00.000Z', 'centre:c-1'],
          ['2025-10-02T10:00:00.000Z', 'juror:j-1'],
        ]);
        expect(await log.list('p-3')).toEqual([]);
      } finally {
        await stop();
      }
    });

    it('a record written twice (a retry) is kept once; more than a batch is written whole', async () => {
      const { log, stop } = await make();
      try {
        const many = Array.from({ length: 30 }, (_, i) => read('p-9', `2025-10-01T09:00:${String(i).padStart(2, '0')}.000Z`, `r${i}`));
        await log.record(many);
        await log.record(many.slice(0, 3));
        expect(await log.list('p-9')).toHaveLength(30);
      } finally {
        await stop();
      }
    });

    it('refuses a record that is not one (no purpose)', async () => {
      const { log, stop } = await make();
      try {
        await expect(log.record([{ ...read('p-1', '2025-10-01T09:00:00.000Z', 'r1'), purpose: 'curiosity' as never }])).rejects.toThrow();
      } finally {
        await stop();
      }
    });
  });
}
