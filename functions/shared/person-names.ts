import type { AccessRecord } from '../ports/access-log.js';
import type { LedgerDeps } from './deps.js';
import type { RouteContext } from './route.js';

export interface CandidateName {
  familyName: string;
  givenNames: string;
}

/**
 * Candidates' names for a reader the law lets see them (their centre, their session's jurors, the DREETS, themself),
 * decrypted from the vault for this request only, never kept in a read model; every name read is recorded in the
 * person's access log, so the candidate can see who read it and why. null: the person was erased (or never named).
 */
export async function candidateNames(
  deps: Pick<LedgerDeps, 'vault' | 'accessLog' | 'clock'>,
  ctx: Pick<RouteContext, 'command' | 'request'>,
  candidateIds: readonly string[],
  purpose: AccessRecord['purpose'],
) {
  const unique = [...new Set(candidateIds)];
  const found = await Promise.all(unique.map(async (id) => [id, await deps.vault.get(id)] as const));
  const names = new Map<string, CandidateName | null>();
  const reads: AccessRecord[] = [];
  for (const [id, person] of found) {
    const named = person?.familyName !== undefined && person.givenNames !== undefined;
    names.set(id, named ? { familyName: person.familyName!, givenNames: person.givenNames! } : null);
    if (named) reads.push({ personId: id, at: deps.clock.now(), requestId: ctx.request.requestId, reader: ctx.command.actor, purpose });
  }
  // Recorded before the names are answered: a read that cannot be logged is not served.
  if (reads.length) await deps.accessLog.record(reads);
  return names;
}

/** Jurors' names (they sit on juries as named members: what the DREETS and the centres choose them by). */
export async function jurorNames(deps: Pick<LedgerDeps, 'vault'>, jurorIds: readonly string[]) {
  const unique = [...new Set(jurorIds)];
  const found = await Promise.all(unique.map(async (id) => [id, (await deps.vault.get(id))?.name ?? null] as const));
  return new Map(found);
}
