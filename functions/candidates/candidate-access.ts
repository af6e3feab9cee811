import { forbidden, notFound } from '../../domain/errors.js';
import { candidateRecord, type CandidateRecordDoc } from '../projections/candidate-record.js';
import type { Caller } from '../shared/auth.js';
import type { LedgerDeps } from '../shared/deps.js';
import { readDoc } from '../projections/projection.js';

/**
 * A candidate's record, for whom may see it: the candidate themself, the centre that registered them, a DREETS
 * agent (and, where a route allows it, the ministry). Anyone else gets 403; an unknown candidate 404.
 */
export async function readableRecord(deps: LedgerDeps, caller: Caller, candidateId: string, also: readonly string[] = []) {
  const found = await readDoc<CandidateRecordDoc>(deps.readModels, candidateRecord, candidateId);
  const allowed =
    caller.roles.includes('dreets') ||
    also.some((role) => caller.roles.includes(role as never)) ||
    (caller.roles.includes('candidate') && caller.ledgerId === candidateId) ||
    (caller.roles.includes('centre') && found?.doc.registeredBy === caller.ledgerId);
  if (!allowed) throw forbidden('not-your-candidate', 'this record belongs to another candidate or centre');
  if (!found) throw notFound('candidate-not-found', `no candidate ${candidateId}`);
  return found;
}
