import * as z from '../../events/zod.js';
import { notFound, refuse } from '../../domain/errors.js';
import { readableRecord } from '../candidates/candidate-access.js';
import { AccountEmail } from '../ports/account-directory.js';
import type { Caller, Role } from '../shared/auth.js';
import type { LedgerDeps } from '../shared/deps.js';
import { centreFacts } from '../sessions/session-facts.js';
import { juror, jurorStream } from '../../domain/juror.js';
import { requireTerritory } from '../../domain/territory.js';

/**
 * What the `…/accounts` routes share: the body, the email in a path, and the ledger id an account is linked to,
 * which must exist (and, for a candidate, be the calling centre's). The email is personal data: it goes to the
 * account directory and back in the answer, never into an event or a log line.
 */
export const InviteBody = z.object({ email: AccountEmail });

/** API Gateway may hand a path parameter over still percent-encoded (`%40`); an email never holds a `%` itself. */
export const EmailParam = z.pipe(
  z.transform((value: unknown) => {
    if (typeof value !== 'string' || !value.includes('%')) return value;
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }),
  AccountEmail,
);

export interface Link {
  group: Role;
  ledgerId: string;
}

/**
 * A centre's accounts are given and taken by the DREETS of the centre's region (DESIGN.md rule 16): an account acts
 * for the centre in the ledger, so handing one out is as territorial as the agréments it will use.
 */
export async function centreLink(deps: LedgerDeps, caller: Caller, centreId: string): Promise<Link> {
  const found = await centreFacts(deps, centreId);
  if (!found) throw notFound('centre-not-found', `no centre ${centreId}`);
  requireTerritory(caller.region, found.region, `centre ${centreId}`);
  return { group: 'centre', ledgerId: centreId };
}

/**
 * A juror's region is the one whose DREETS registered them (domain/juror.ts), the one that habilitates them: its
 * agents alone give and take the juror's accounts. A juror registered before regions were is left to any regional
 * agent, as for habilitations.
 */
export async function jurorLink(deps: LedgerDeps, caller: Caller, jurorId: string): Promise<Link> {
  const { state } = await deps.commands.state(juror, jurorStream(jurorId));
  if (state.status !== 'registered') throw notFound('juror-not-found', `no juror ${jurorId}`);
  requireTerritory(caller.region, state.region, `juror ${jurorId}`);
  return { group: 'juror', ledgerId: jurorId };
}

/** The calling centre's candidate (another centre's, or an unknown one, is 403 as for its record). */
export async function candidateLink(deps: LedgerDeps, caller: Caller, candidateId: string, purpose: 'invite' | 'disable'): Promise<Link> {
  const record = await readableRecord(deps, caller, candidateId);
  // An erased person has no email to invite any more; an account invited before stays disablable.
  if (purpose === 'invite' && record.doc.erased) throw refuse('personal-data-erased', "this candidate's personal data were erased");
  return { group: 'candidate', ledgerId: candidateId };
}
