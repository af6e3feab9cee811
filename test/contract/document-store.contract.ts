import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { DocumentStore } from '../../functions/ports/document-store.js';

export function documentStoreContract(name: string, start: () => Promise<{ store: DocumentStore; stop(): Promise<void> }>, options: { presigns?: boolean } = {}) {
  describe(`DocumentStore contract: ${name}`, () => {
    let h: { store: DocumentStore; stop(): Promise<void> };
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    it('stores bytes and gives them back unchanged with their SHA-256', async () => {
      const body = new Uint8Array(200_000).map((_, i) => (i * 31) % 256);
      const put = await h.store.put('certificates/abc.pdf', body, 'application/pdf');
      expect(put.sha256).toBe(createHash('sha256').update(body).digest('hex'));
      const got = await h.store.get('certificates/abc.pdf');
      expect(got?.contentType).toBe('application/pdf');
      expect(Buffer.from(got!.body).equals(Buffer.from(body))).toBe(true);
    });

    it('stores text', async () => {
      await h.store.put('exports/2025.csv', 'année;certifiés\n2025;55\n', 'text/csv');
      const got = await h.store.get('exports/2025.csv');
      expect(new TextDecoder().decode(got!.body)).toBe('année;certifiés\n2025;55\n');
    });

    it(options.presigns ? 'gives a time-limited URL that downloads the bytes as the named file' : 'gives no download URL: the route serves the bytes', async () => {
      await h.store.put('exports/2026.csv', '\uFEFFannée;certifiés\r\n', 'text/csv; charset=utf-8');
      const url = await h.store.downloadUrl('exports/2026.csv', 'statistiques-2026.csv', 300);
      if (!options.presigns) {
        expect(url).toBeUndefined();
        return;
      }
      expect(url).toMatch(/X-Amz-Expires=300/);
      const res = await fetch(url!);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="statistiques-2026.csv"');
      expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(await res.arrayBuffer()))).toBe('\uFEFFannée;certifiés\r\n');
    });

    it('answers undefined for a missing key', async () => {
      expect(await h.store.get('nothing/here')).toBeUndefined();
    });
  });
}
