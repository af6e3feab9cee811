import { z } from 'zod';

export const Role = z.enum(['centre', 'juror', 'dreets', 'ministry', 'candidate']);
export type Role = z.infer<typeof Role>;

/** Who is calling, as API Gateway's JWT authorizer and the local server both hand it over. */
export interface Caller {
  sub: string;
  roles: Role[];
}

/**
 * API Gateway's HTTP API JWT authorizer passes list claims flattened to a string such as "[centre juror]";
 * the local server hands over the same shape, so both go through this one reading.
 */
export function callerFromClaims(claims: Record<string, unknown> | undefined): Caller | null {
  if (!claims || typeof claims.sub !== 'string' || claims.sub.length === 0) return null;
  const raw = claims['cognito:groups'];
  const groups = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean)
      : [];
  const roles = groups.flatMap((g) => (Role.safeParse(g).success ? [g as Role] : []));
  return { sub: claims.sub, roles };
}

export const actorOf = (caller: Caller | null, role?: Role) =>
  caller ? `${role ?? caller.roles[0] ?? 'user'}:${caller.sub}` : 'public:anonymous';
