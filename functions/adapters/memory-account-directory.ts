import { randomUUID } from 'node:crypto';
import type { Role } from '../shared/auth.js';
import { accountExists, accountNotFound, sameLink, type AccountDirectory, type Invitation, type LinkedAccount } from '../ports/account-directory.js';

export class MemoryAccountDirectory implements AccountDirectory {
  private readonly accounts = new Map<string, LinkedAccount>();
  /** Invitations sent, in order: what Cognito would have emailed. */
  readonly sent: string[] = [];
  /** The accounts signed out, by own id, in order: what AdminUserGlobalSignOut would have been asked. */
  readonly signedOut: string[] = [];

  async invite({ email, group, ledgerId, region }: Invitation): Promise<LinkedAccount> {
    const existing = this.accounts.get(email);
    if (existing) {
      if (!sameLink(existing, { group, ledgerId, region })) throw accountExists();
      // Invited again after it was disabled: enabled again (locally an account is never more than invited).
      if (existing.status === 'disabled') existing.status = 'invited';
      return { ...existing };
    }
    const account: LinkedAccount = { email, group, ledgerId, ...(region ? { region } : {}), status: 'invited', sub: randomUUID() };
    this.accounts.set(email, account);
    this.sent.push(email);
    return { ...account };
  }

  async disable(account: string, link: { group: Role; ledgerId: string }): Promise<{ sub: string }> {
    const existing = this.accounts.get(account) ?? [...this.accounts.values()].find((a) => a.sub === account);
    if (!existing || existing.group !== link.group || existing.ledgerId !== link.ledgerId) throw accountNotFound();
    existing.status = 'disabled';
    return { sub: existing.sub };
  }

  async signOut(sub: string): Promise<void> {
    this.signedOut.push(sub);
  }

  async find(email: string): Promise<LinkedAccount | undefined> {
    const existing = this.accounts.get(email);
    return existing && { ...existing };
  }
}
