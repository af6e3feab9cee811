import { issueWantedCertificates } from '../certificates/issue-certificate.js';
import { workflowStep } from '../shared/workflow-step.js';
import { certificationVersion } from './session-outcomes.js';
import { SessionItem, stepContext } from './session-item.js';
import { stepHandler } from './workflow-lambda.js';

/**
 * The certificates a candidate's outcome gives: the titre, or one CCP certificate per bloc acquired. Each code
 * is reserved on the candidate's stream before issuing (issueWantedCertificates), so a retry reissues the same.
 * The PDFs (RenderCertificatePdfs) and the signed credentials (AttachCertificateDocuments) follow as their own Tasks.
 */
export const step = workflowStep(SessionItem, async (deps, item) => {
  const { candidateId, outcome, blocs, titreRoute, enrolment } = item.candidate;
  // At a CCS session, a ccp outcome names the CCS obtained: one CCS certificate each.
  const partKind = enrolment.kind === 'ccs' ? ('ccs' as const) : ('ccp' as const);
  // The titre's certificate names every bloc of the version, those sat now and those held before (capitalisation).
  const versionBlocs = outcome === 'titre' ? (await certificationVersion(deps, item.rncp)).blocs.map((b) => b.code) : [];
  const wanted =
    outcome === 'titre'
      ? [{ kind: 'titre' as const, blocs: versionBlocs, key: `${item.sessionId}:titre:${item.rncp}` }]
      : outcome === 'ccp'
        ? blocs.map((bloc) => ({ kind: partKind, blocs: [bloc], key: `${item.sessionId}:${partKind}:${bloc}` }))
        : [];
  return issueWantedCertificates(
    deps,
    wanted,
    { candidateId, rncp: item.rncp, issuedOn: item.decidedOn, sessionId: item.sessionId, ...(outcome === 'titre' ? { route: titreRoute } : {}) },
    (what) => stepContext(item, what, deps.clock.now()),
  );
});

export const handler = stepHandler(step);
