import type { Commit } from '../../events/envelope.js';
import { pvOutcomes } from '../workflows/session-outcomes.js';
import type { LedgerDeps } from '../shared/deps.js';
import type { Reaction } from './reaction.js';

/**
 * One execution per session and attempt: the first is the name the PV-validation route answers with and the one the
 * feed starts; an operator's re-run (restartSessionWorkflow) is `…-attempt-<n>`, since Step Functions keeps a
 * Standard execution's name taken for 90 days after it ends, failed or not.
 */
export const sessionExecutionName = (sessionId: string, attempt = 1) => (attempt === 1 ? `session-${sessionId}` : `session-${sessionId}-attempt-${attempt}`);

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

/**
 * Runs the session workflow of a validated PV again (`npm run restart-session-workflow`), after a failed or partial
 * execution: every step is idempotent, so candidates already done are found done and the others are completed.
 * `attempt` (2 or more) names the execution: the same attempt twice is the same execution, never a second run.
 */
export async function restartSessionWorkflow(deps: LedgerDeps, sessionId: string, attempt: number) {
  if (!Number.isInteger(attempt) || attempt < 2 || attempt > 999) throw new Error(`attempt must be an integer from 2 to 999 (1 is the feed's own run), not ${attempt}`);
  const { decidedOn } = await pvOutcomes(deps, sessionId);
  if (!decidedOn) throw new Error(`the PV of session ${sessionId} is not validated: there is no workflow to run again`);
  const executionName = sessionExecutionName(sessionId, attempt);
  return { executionName, ...(await deps.workflows.start('session', executionName, { sessionId })) };
}
