import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import type { AccountDirectory } from '../../functions/ports/account-directory.js';

export interface AccountDirectoryHarness {
  directory: AccountDirectory;
  /** How many invitation messages went to this address, where the adapter sends any. */
  invitationsTo?: (email: string) => number;
  /** The own ids signed out everywhere, where the adapter has sessions to end. */
  signedOut?: () => string[];
  stop(): Promise<void>;
}

let n = 0;
const email = () => `personne.${++n}.${Math.random().toString(36).slice(2, 8)}@exemple.fr`;

/** The account as the routes answer it: without its own id. */
const answered = <T extends { sub?: string }>(account: T | undefined) => {
  if (!account) return account;
  const { sub: _, ...rest } = account;
  return rest;
};

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return { code: (error as DomainError).code, kind: (error as DomainError).kind };
};

export function accountDirectoryContract(name: string, start: () => Promise<AccountDirectoryHarness>) {
  describe(`AccountDirectory contract: ${name}`, () => {
    let h: AccountDirectoryHarness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    it('invites an account linked to its group and ledger id, and finds it', async () => {
      const e = email();
      const account = await h.directory.invite({ email: e, group: 'centre', ledgerId: 'centre-1' });
      expect(answered(account)).toEqual({ email: e, group: 'centre', ledgerId: 'centre-1', status: 'invited' });
      expect(account.sub).toMatch(/^[0-9a-f-]{36}$/);
      expect(await h.directory.find(e)).toEqual(account);
      if (h.invitationsTo) expect(h.invitationsTo(e)).toBe(1);
    });

    it("keeps a DREETS agent's region", async () => {
      const e = email();
      const account = await h.directory.invite({ email: e, group: 'dreets', ledgerId: 'agent-7', region: 'Bretagne' });
      expect(answered(account)).toEqual({ email: e, group: 'dreets', ledgerId: 'agent-7', region: 'Bretagne', status: 'invited' });
      expect(await h.directory.find(e)).toEqual(account);
    });

    it('invited again for the same link: the same account, and no second invitation', async () => {
      const e = email();
      const first = await h.directory.invite({ email: e, group: 'juror', ledgerId: 'juror-1' });
      const again = await h.directory.invite({ email: e, group: 'juror', ledgerId: 'juror-1' });
      expect(again).toEqual(first);
      expect(await h.directory.find(e)).toEqual(first);
      if (h.invitationsTo) expect(h.invitationsTo(e)).toBe(1);
    });

    it('refuses an email linked to another ledger id, group or region, and changes nothing', async () => {
      const e = email();
      const first = await h.directory.invite({ email: e, group: 'candidate', ledgerId: 'cand-1' });
      expect(await refusal(h.directory.invite({ email: e, group: 'candidate', ledgerId: 'cand-2' }))).toEqual({ code: 'account-exists', kind: 'conflict' });
      expect(await refusal(h.directory.invite({ email: e, group: 'centre', ledgerId: 'cand-1' }))).toEqual({ code: 'account-exists', kind: 'conflict' });
      expect(await refusal(h.directory.invite({ email: e, group: 'candidate', ledgerId: 'cand-1', region: 'Bretagne' }))).toEqual({ code: 'account-exists', kind: 'conflict' });
      expect(await h.directory.find(e)).toEqual(first);
      if (h.invitationsTo) expect(h.invitationsTo(e)).toBe(1);
    });

    it('of concurrent invitations of one email for one link, all succeed with one account', async () => {
      const e = email();
      const answers = await Promise.all(Array.from({ length: 6 }, () => h.directory.invite({ email: e, group: 'centre', ledgerId: 'centre-c' })));
      for (const a of answers) expect(answered(a)).toEqual({ email: e, group: 'centre', ledgerId: 'centre-c', status: 'invited' });
      // One account: one own id, whichever invitation answered.
      expect(new Set(answers.map((a) => a.sub))).toEqual(new Set([(await h.directory.find(e))!.sub]));
      if (h.invitationsTo) expect(h.invitationsTo(e)).toBe(1);
    });

    it('of concurrent invitations of one email for two links, exactly one link wins', async () => {
      const e = email();
      const settled = await Promise.allSettled(['a', 'b', 'a', 'b'].map((x) => h.directory.invite({ email: e, group: 'centre', ledgerId: `centre-${x}` })));
      const won = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.ledgerId] : []));
      expect(new Set(won).size).toBe(1);
      for (const s of settled) if (s.status === 'rejected') expect((s.reason as DomainError).code).toBe('account-exists');
      expect((await h.directory.find(e))?.ledgerId).toBe(won[0]);
    });

    it('disables the account of its link, again without error, and a re-invitation enables it again without a second email', async () => {
      const e = email();
      const { sub } = await h.directory.invite({ email: e, group: 'centre', ledgerId: 'centre-d' });
      expect(await h.directory.disable(e, { group: 'centre', ledgerId: 'centre-d' })).toEqual({ sub });
      expect(await h.directory.find(e)).toEqual({ email: e, group: 'centre', ledgerId: 'centre-d', status: 'disabled', sub });
      expect(await h.directory.disable(e, { group: 'centre', ledgerId: 'centre-d' })).toEqual({ sub });
      expect((await h.directory.invite({ email: e, group: 'centre', ledgerId: 'centre-d' })).status).toBe('invited');
      expect((await h.directory.find(e))?.status).toBe('invited');
      if (h.invitationsTo) expect(h.invitationsTo(e)).toBe(1);
    });

    it('disables nothing of another link, nor an unknown email: account-not-found', async () => {
      const e = email();
      const account = await h.directory.invite({ email: e, group: 'juror', ledgerId: 'juror-e' });
      expect(await refusal(h.directory.disable(e, { group: 'juror', ledgerId: 'juror-other' }))).toEqual({ code: 'account-not-found', kind: 'not-found' });
      expect(await refusal(h.directory.disable(e, { group: 'centre', ledgerId: 'juror-e' }))).toEqual({ code: 'account-not-found', kind: 'not-found' });
      expect(await refusal(h.directory.disable(email(), { group: 'juror', ledgerId: 'juror-e' }))).toEqual({ code: 'account-not-found', kind: 'not-found' });
      expect(await h.directory.find(e)).toEqual(account);
    });

    it('disables an account named by its own id, only of its link, and signs it out', async () => {
      const e = email();
      const { sub } = await h.directory.invite({ email: e, group: 'candidate', ledgerId: 'cand-s' });
      expect(await refusal(h.directory.disable(sub, { group: 'candidate', ledgerId: 'cand-other' }))).toEqual({ code: 'account-not-found', kind: 'not-found' });
      expect((await h.directory.find(e))?.status).toBe('invited');
      expect(await h.directory.disable(sub, { group: 'candidate', ledgerId: 'cand-s' })).toEqual({ sub });
      expect((await h.directory.find(e))?.status).toBe('disabled');
      await h.directory.signOut(sub);
      await h.directory.signOut(sub);
      if (h.signedOut) expect(h.signedOut().filter((s) => s === sub)).toHaveLength(2);
      // An own id nobody has: nothing to disable.
      expect(await refusal(h.directory.disable('0b5e7b9c-0000-4000-8000-000000000000', { group: 'candidate', ledgerId: 'cand-s' }))).toEqual({
        code: 'account-not-found',
        kind: 'not-found',
      });
    });

    it('finds nothing for an unknown email', async () => {
      expect(await h.directory.find(email())).toBeUndefined();
    });
  });
}
