import type { Role } from '../shared/auth.js';
import { accountExists, accountNotFound, sameLink, type Account, type AccountDirectory, type Invitation } from '../ports/account-directory.js';

export class MemoryAccountDirectory implements AccountDirectory {
  private readonly accounts = new Map<string, Account>();
  /** Invitations sent, in order: what Cognito would have emailed. */
  readonly sent: string[] = [];

  async invite({ email, group, ledgerId, region }: Invitation): Promise<Account> {
    const existing = this.accounts.get(email);
    if (existing) {
      if (!sameLink(existing, { group, ledgerId, region })) throw accountExists();
      // Invited again after it was disabled: enabled again (locally an account is never more than invited).
      if (existing.status === 'disabled') existing.status = 'invited';
      return { ...existing };
    }
    const account: Account = { email, group, ledgerId, ...(region ? { region } : {}), status: 'invited' };
    this.accounts.set(email, account);
    this.sent.push(email);
    return { ...account };
  }

  async disable(email: string, link: { group: Role; ledgerId: string }): Promise<void> {
    const existing = this.accounts.get(email);
    if (!existing || existing.group !== link.group || existing.ledgerId !== link.ledgerId) throw accountNotFound();
    existing.status = 'disabled';
  }

  async find(email: string): Promise<Account | undefined> {
    const existing = this.accounts.get(email);
    return existing && { ...existing };
  }
}
