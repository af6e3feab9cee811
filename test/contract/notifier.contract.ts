import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notifier } from '../../functions/ports/notifier.js';

export interface NotifierHarness {
  notifier: Notifier;
  /** A candidate the notifier can reach (for email: one whose address the vault holds). */
  reachable(name: string): Promise<string>;
  /** The text of each message that reached the candidate, in the order sent. */
  delivered(candidateId: string): Promise<string[]>;
  stop(): Promise<void>;
}

export function notifierContract(name: string, start: () => Promise<NotifierHarness>) {
  describe(`Notifier contract: ${name}`, () => {
    let h: NotifierHarness;
    beforeAll(async () => {
      h = await start();
    }, 600_000);
    afterAll(async () => h?.stop());

    it('a notification reaches its candidate once, with its text, by the time send resolves', async () => {
      const camille = await h.reachable('camille');
      const message = 'Session du 12/09/2025 : le jury vous a attribué le bloc RNCP37873BC01.';
      await h.notifier.send(camille, { topic: 'session-results', message });
      const got = await h.delivered(camille);
      expect(got).toHaveLength(1);
      expect(got[0]).toContain(message);
    });

    it('several reach the candidate in the order sent, each once, and no one else', async () => {
      const a = await h.reachable('a');
      const b = await h.reachable('b');
      const topics = ['session-results', 'usability-reminder', 'usability-lapsed'];
      for (const [i, topic] of topics.entries()) await h.notifier.send(a, { topic, message: `message ${i} pour a` });
      const got = await h.delivered(a);
      expect(got).toHaveLength(3);
      got.forEach((text, i) => {
        expect(text).toContain(`message ${i} pour a`);
      });
      expect(await h.delivered(b)).toEqual([]);
    });

    it('concurrent sends to many candidates each reach their own', async () => {
      const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => h.reachable(`c${i}`)));
      await Promise.all(ids.map((id, i) => h.notifier.send(id, { topic: 'certificate-status', message: `statut ${i}` })));
      for (const [i, id] of ids.entries()) {
        const got = await h.delivered(id);
        expect(got).toHaveLength(1);
        expect(got[0]).toContain(`statut ${i}`);
      }
    });
  });
}
