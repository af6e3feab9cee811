/**
 * Who is signed in: a bearer token kept for this browser tab only (sessionStorage), locally from `npm run token`
 * or the sign-in page's local convenience, in AWS from Cognito's hosted sign-in. The token is decoded here only
 * to show the role and to route; the API checks it.
 */
export const ROLES = ['centre', 'juror', 'dreets', 'ministry', 'candidate'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  token: string;
  /** The account's own id (Cognito's `sub`). */
  sub: string;
  /** Who the account acts for in the ledger: the centre, juror, candidate or agent (`custom:ledger_id`). */
  ledgerId: string;
  roles: Role[];
  /** A DREETS agent's region (`custom:region`): what its forms default to. */
  region?: string;
  /** Expiry, seconds since the epoch. */
  exp?: number;
}

const KEY = 'registre.jeton';

export const roleLabels: Record<Role, string> = {
  centre: 'Centre d’examen',
  juror: 'Juré',
  dreets: 'Agent de la DREETS',
  ministry: 'Ministère',
  candidate: 'Candidat',
};

function base64UrlDecode(part: string): string {
  const base64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads a JWT's claims (no signature check: the API does that). Throws when it is not a JWT with a subject. */
export function decodeToken(token: string): Identity {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new Error('Ce n’est pas un jeton : un jeton a trois parties séparées par des points.');
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(base64UrlDecode(parts[1]!)) as Record<string, unknown>;
  } catch {
    throw new Error('Ce jeton est illisible.');
  }
  const groups = claims['cognito:groups'];
  const list = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  const roles = list.filter((g): g is Role => (ROLES as readonly string[]).includes(g));
  if (typeof claims.sub !== 'string' || !claims.sub) throw new Error('Ce jeton ne désigne personne (il n’a pas de « sub »).');
  if (!roles.length) throw new Error('Ce jeton ne donne aucun rôle du registre (centre, juré, DREETS, ministère, candidat).');
  const ledgerId = claims['custom:ledger_id'];
  if (typeof ledgerId !== 'string' || !ledgerId)
    throw new Error('Ce compte n’est rattaché à aucun centre, juré, candidat ou agent du registre (il n’a pas de « custom:ledger_id ») : demandez à être invité.');
  const region = claims['custom:region'];
  return {
    token: token.trim(),
    sub: claims.sub,
    ledgerId,
    roles,
    ...(typeof region === 'string' && region ? { region } : {}),
    ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
  };
}

export function currentIdentity(): Identity | undefined {
  const token = sessionStorage.getItem(KEY);
  if (!token) return undefined;
  try {
    const identity = decodeToken(token);
    if (identity.exp && identity.exp * 1000 < Date.now()) {
      sessionStorage.removeItem(KEY);
      return undefined;
    }
    return identity;
  } catch {
    sessionStorage.removeItem(KEY);
    return undefined;
  }
}

export function signIn(token: string): Identity {
  const identity = decodeToken(token);
  sessionStorage.setItem(KEY, identity.token);
  return identity;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** Where each role works. */
export function homeOf(role: Role): string {
  return role === 'candidate' ? '/candidat' : role === 'ministry' ? '/ministere' : '/certificateurs';
}

/** A path of this site to come back to after signing in (never another site). */
export function safeReturnPath(value: string | null): string | undefined {
  return value && /^\/(?!\/)[\w\-/.?=&%]*$/.test(value) ? value : undefined;
}
