import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { WorkflowDefinition, WorkflowFunctions } from './workflow.js';

/** A Task on a workflow step Lambda: domain refusals are not retried, anything else is, with backoff. */
export function stepTask(scope: Construct, functions: WorkflowFunctions, id: string, module: string, resultPath?: string) {
  return new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: functions(module),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    ...(resultPath ? { resultPath } : {}),
  })
    .addRetry({ errors: ['StepRefused'], maxAttempts: 0 })
    .addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 4 });
}

/**
 * From a validated PV: for each candidate (Map), append the blocs and the titre to their record, issue the
 * certificates, and notify them. Each step is idempotent and retried; a candidate that keeps failing is
 * reported in the output without stopping the others.
 */
export const sessionWorkflow: WorkflowDefinition = {
  name: 'session',
  definition(scope, functions) {
    const load = stepTask(scope, functions, 'LoadPvOutcomes', 'workflows/load-pv-outcomes');
    const failed = new sfn.Pass(scope, 'CandidateFailed', {
      parameters: { 'candidateId.$': '$.candidate.candidateId', status: 'failed', 'error.$': '$.error' },
    });
    const done = new sfn.Pass(scope, 'CandidateDone', {
      parameters: { 'candidateId.$': '$.candidate.candidateId', status: 'done', 'certificates.$': '$.certificates.issued' },
    });
    const record = stepTask(scope, functions, 'RecordOutcome', 'workflows/record-session-outcome', '$.recorded');
    const issue = stepTask(scope, functions, 'IssueCertificates', 'workflows/issue-session-certificates', '$.certificates');
    const render = stepTask(scope, functions, 'RenderCertificatePdfs', 'workflows/render-certificate-pdfs', '$.pdfs');
    const attach = stepTask(scope, functions, 'AttachCertificateDocuments', 'workflows/attach-certificate-documents', '$.attached');
    const notify = stepTask(scope, functions, 'NotifyResults', 'workflows/notify-session-results', '$.notified');
    for (const task of [record, issue, render, attach, notify]) task.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
    const perCandidate = new sfn.Map(scope, 'ForEachCandidate', {
      itemsPath: '$.candidates',
      maxConcurrency: 4,
      itemSelector: {
        'sessionId.$': '$.sessionId',
        'rncp.$': '$.rncp',
        'decidedOn.$': '$.decidedOn',
        'candidate.$': '$$.Map.Item.Value',
      },
      resultPath: '$.results',
    }).itemProcessor(record.next(issue).next(render).next(attach).next(notify).next(done));
    const report = stepTask(scope, functions, 'ReportIssuance', 'workflows/report-session-issuance');
    return load.next(perCandidate).next(report);
  },
};
