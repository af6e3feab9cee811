import type { WorkflowStep } from '../shared/workflow-step.js';

/** How the local workflow runner loads the step behind each Task (module → its `step`). */
export const workflowSteps: Record<string, () => Promise<{ step: WorkflowStep<any, any> }>> = {
  'workflows/load-pv-outcomes': () => import('./load-pv-outcomes.js'),
  'workflows/record-session-outcome': () => import('./record-session-outcome.js'),
  'workflows/issue-session-certificates': () => import('./issue-session-certificates.js'),
  'workflows/render-certificate-pdfs': () => import('./render-certificate-pdfs.js') as never,
  'workflows/attach-certificate-documents': () => import('./attach-certificate-documents.js'),
  'workflows/notify-session-results': () => import('./notify-session-results.js'),
  'workflows/report-session-issuance': () => import('./report-session-issuance.js'),
  'workflows/issue-equivalence-certificates': () => import('./issue-equivalence-certificates.js'),
  'workflows/notify-equivalence': () => import('./notify-equivalence.js'),
  'workflows/plan-usability-timers': () => import('./plan-usability-timers.js'),
  'workflows/send-usability-reminder': () => import('./send-usability-reminder.js'),
  'workflows/check-usability': () => import('./check-usability.js'),
};
