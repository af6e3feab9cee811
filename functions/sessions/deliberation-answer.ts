import type { SessionState } from '../../domain/session.js';

/** A deliberation as the writes answer it: what was decided, who signed, whether it is final. */
export function deliberationAnswer(state: SessionState, candidateId: string) {
  const d = state.status === 'unknown' ? undefined : state.deliberations[candidateId];
  return { candidateId, outcome: d?.outcome, blocs: d?.blocs ?? [], signedBy: d?.signedBy ?? [], final: d?.final ?? false };
}
