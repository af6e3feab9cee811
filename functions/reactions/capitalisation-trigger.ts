import type { Commit } from '../../events/envelope.js';
import type { Workflows } from '../ports/workflows.js';

const TRIGGERS = new Set(['CcpAcquired', 'CcpAcquisitionAnnulled', 'TitreIssued']);

/**
 * On a commit that changes what a candidate holds, starts their capitalisation workflow to recompute the livret
 * and its timers. The execution is named after the commit, so a redelivered record starts nothing new.
 */
export async function startCapitalisation(workflows: Workflows, commit: Commit): Promise<void> {
  if (!commit.stream.startsWith('candidate#')) return;
  if (!commit.events.some((e) => TRIGGERS.has(e.type))) return;
  const candidateId = commit.stream.slice('candidate#'.length);
  await workflows.start('capitalisation', `recompute-${candidateId}-${commit.version}`, { action: 'recompute', candidateId, position: commit.last });
}
