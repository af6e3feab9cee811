import * as z from '../../events/zod.js';

export const Role = z.enum(['centre', 'juror', 'dreets', 'ministry', 'candidate']);
export type Role = z.infer<typeof Role>;

/** The claim that links an account to the ledger: set when the account is invited, never writable by its user. */
export const LEDGER_ID_CLAIM = 'custom:ledger_id';
/** A DREETS agent's region (its territorial competence). */
export const REGION_CLAIM = 'custom:region';

/** Who is calling, as API Gateway's JWT authorizer and the local server both hand it over. */
export interface Caller {
  /** The account's own id, chosen by Cognito: never a ledger id. */
  sub: string;
  /** The centre, juror, candidate or agent this account acts for in the ledger (`custom:ledger_id`). */
  ledgerId: string;
  roles: Role[];
  /** A DREETS agent's region (`custom:region`). */
  region?: string;
  /** When the token was issued (`iat`, seconds since the epoch, by the issuer's clock). */
  issuedAt?: number;
}

/** A valid token whose account was never linked to the ledger (no `custom:ledger_id`). */
export const UNLINKED = 'unlinked' as const;

/**
 * API Gateway's HTTP API JWT authorizer passes list claims flattened to a string such as "[centre juror]";
 * the local server hands over the same shape, so both go through this one reading.
 */
export function callerFromClaims(claims: Record<string, unknown> | undefined): Caller | typeof UNLINKED | null {
  if (!claims || typeof claims.sub !== 'string' || claims.sub.length === 0) return null;
  const raw = claims['cognito:groups'];
  const groups = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [];
  const roles = groups.flatMap((g) => (Role.safeParse(g).success ? [g as Role] : []));
  const ledgerId = claims[LEDGER_ID_CLAIM];
  if (typeof ledgerId !== 'string' || ledgerId.length === 0) return UNLINKED;
  const region = claims[REGION_CLAIM];
  // The JWT authorizer hands every claim over as a string.
  const issuedAt = Number(claims.iat);
  return {
    sub: claims.sub,
    ledgerId,
    roles,
    ...(typeof region === 'string' && region ? { region } : {}),
    ...(claims.iat !== undefined && Number.isFinite(issuedAt) ? { issuedAt } : {}),
  };
}

/** The actor recorded on events: the role and the ledger id it acted for. */
export const actorOf = (caller: Caller | null, role?: Role) => (caller ? `${role ?? caller.roles[0] ?? 'user'}:${caller.ledgerId}` : 'public:anonymous');
