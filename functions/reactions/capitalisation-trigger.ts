import type { Commit } from '../../events/envelope.js';
import type { Reaction } from './reaction.js';

const TRIGGERS = new Set(['CcpAcquired', 'CcpAcquisitionAnnulled', 'TitreIssued']);

/** Whether the commit changes what a candidate holds (so their capitalisation must be recomputed). */
export const triggersCapitalisation = (commit: Commit) => commit.stream.startsWith('candidate#') && commit.events.some((e) => TRIGGERS.has(e.type));

/** The execution started for a commit: named after it, so a redelivered record starts nothing new. */
export const capitalisationExecutionName = (commit: Pick<Commit, 'stream' | 'version'>) => `recompute-${commit.stream.slice('candidate#'.length)}-${commit.version}`;

/**
 * On a commit that changes what a candidate holds, their capitalisation workflow: the livret recomputed, a
 * reminder before and a check at each bloc's usableUntil scheduled.
 */
export const capitalisationTrigger: Reaction = {
  name: 'capitalisation-workflow',
  applies: triggersCapitalisation,
  async react(deps, commit) {
    if (!triggersCapitalisation(commit)) return;
    const candidateId = commit.stream.slice('candidate#'.length);
    await deps.workflows.start('capitalisation', capitalisationExecutionName(commit), { action: 'recompute', candidateId, position: commit.last });
  },
};
