import type { Commit } from '../../events/envelope.js';
import { recordedEvents } from '../shared/command-handler.js';
import type { Reaction } from './reaction.js';

/** One execution per équivalence decision (its id is a UUID: the name stays within Step Functions' 80 characters). */
export const equivalenceExecutionName = (decisionId: string) => `equivalence-${decisionId}`;

/**
 * On EquivalenceGranted, the équivalence workflow: the certificates of the blocs or the titre it granted, as a PV's
 * session workflow issues them. Started from the change feed, never by the route, so a crash after the append
 * cannot leave a decision without its certificates; a redelivered record starts the same execution name again,
 * which Step Functions (and the local runner) answer with the existing execution.
 */
export const equivalenceWorkflowTrigger: Reaction = {
  name: 'equivalence-workflow',
  applies: (commit: Commit) => commit.stream.startsWith('candidate#') && commit.events.some((e) => e.type === 'EquivalenceGranted'),
  async react(deps, commit) {
    if (!this.applies(commit)) return;
    const candidateId = commit.stream.slice('candidate#'.length);
    for (const event of recordedEvents(commit)) {
      if (event.type !== 'EquivalenceGranted') continue;
      const { decisionId } = event.data;
      await deps.workflows.start('equivalence', equivalenceExecutionName(decisionId), { candidateId, decisionId });
    }
  },
};
