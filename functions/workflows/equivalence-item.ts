import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';

/** The input of the équivalence workflow: the candidate and the DREETS decision (EquivalenceGranted). */
export const EquivalenceItem = z.object({ candidateId: Id, decisionId: Id });
export type EquivalenceItem = z.infer<typeof EquivalenceItem>;

export const equivalenceStepContext = (item: EquivalenceItem, what: string, now: string) => ({
  commandId: `equivalence:${item.decisionId}:${what}:${item.candidateId}`,
  actor: 'system:equivalence-workflow',
  correlationId: `equivalence:${item.decisionId}`,
  now,
});
