import type { Commit } from '../../events/envelope.js';
import type { Reaction } from './reaction.js';

/** One execution per session: the name the PV-validation route answers with, and the one the feed starts. */
export const sessionExecutionName = (sessionId: string) => `session-${sessionId}`;

/**
 * On PvValidated, the session workflow (CCPs, titres, certificates, notifications). Started from the change feed
 * rather than by the route after its append, so a crash between the two cannot leave a validated PV whose titres
 * are never issued: the ledger is the outbox. Step Functions refuses a second execution of the same name.
 */
export const sessionWorkflowTrigger: Reaction = {
  name: 'session-workflow',
  applies: (commit: Commit) => commit.stream.startsWith('session#') && commit.events.some((e) => e.type === 'PvValidated'),
  async react(deps, commit) {
    if (!this.applies(commit)) return;
    const sessionId = commit.stream.slice('session#'.length);
    await deps.workflows.start('session', sessionExecutionName(sessionId), { sessionId });
  },
};
