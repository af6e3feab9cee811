import type { Commit } from '../../events/envelope.js';
import type { LedgerDeps } from '../shared/deps.js';

/**
 * What the change feed does after a commit, besides projecting it: start a workflow, append compensating
 * events, send an email. Every reaction is idempotent (execution names, command ids, a claim per event), so a
 * record delivered twice, late, or again after a crash does its work once.
 */
export interface Reaction {
  readonly name: string;
  /** Cheap: whether this commit concerns the reaction at all (a restart replays only these). */
  applies(commit: Commit): boolean;
  react(deps: LedgerDeps, commit: Commit): Promise<void>;
}
