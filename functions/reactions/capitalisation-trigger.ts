import type { Commit } from '../../events/envelope.js';
import type { Workflows } from '../ports/workflows.js';

const TRIGGERS = new Set(['CcpAcquired', 'CcpAcquisitionAnnulled', 'TitreIssued']);

/** Whether the commit changes what a candidate holds (so their capitalisation must be recomputed). */
export const triggersCapitalisation = (commit: Commit) => commit.stream.startsWith('candidate#') && commit.events.some((e) => TRIGGERS.has(e.type));

/**
 * On a commit that changes what a candidate holds, starts their capitalisation workflow to recompute the livret
 * and its timers. The execution is named after the commit, so a redelivered record starts nothing new.
 */
export async function startCapitalisation(workflows: Workflows, commit: Commit): Promise<void> {
  if (!triggersCapitalisation(commit)) return;
  const candidateId = commit.stream.slice('candidate#'.length);
  await workflows.start('capitalisation', `recompute-${candidateId}-${commit.version}`, { action: 'recompute', candidateId, position: commit.last });
}
