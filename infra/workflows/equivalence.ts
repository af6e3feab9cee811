import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { stepTask } from './session.js';
import type { WorkflowDefinition } from './workflow.js';

/**
 * From a DREETS équivalence decision (art. 1 3° and 4° of the arrêté of 22/12/2015): the certificates it gives
 * (the titre's, or one per bloc granted), issued as a validated PV issues them — the code reserved on the
 * candidate's stream, CertificateIssued, the PDF in its lean Lambda, the signed credential — then the candidate
 * told. Started from the change feed on EquivalenceGranted, one execution per decision; each step is idempotent.
 */
export const equivalenceWorkflow: WorkflowDefinition = {
  name: 'equivalence',
  definition(scope, functions) {
    const issue = stepTask(scope, functions, 'IssueEquivalenceCertificates', 'workflows/issue-equivalence-certificates', '$.certificates');
    const render = stepTask(scope, functions, 'RenderEquivalencePdfs', 'workflows/render-certificate-pdfs', '$.pdfs');
    const attach = stepTask(scope, functions, 'AttachEquivalenceDocuments', 'workflows/attach-certificate-documents', '$.attached');
    const notify = stepTask(scope, functions, 'NotifyEquivalence', 'workflows/notify-equivalence', '$.notified');
    const done = new sfn.Pass(scope, 'EquivalenceIssued', {
      parameters: { 'candidateId.$': '$.candidateId', 'decisionId.$': '$.decisionId', 'certificates.$': '$.certificates.issued' },
    });
    return issue.next(render).next(attach).next(notify).next(done);
  },
};
