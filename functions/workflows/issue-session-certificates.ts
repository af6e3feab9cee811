import { candidate, candidateStream } from '../../domain/candidate.js';
import { beginIssuance, newCertificateCode, type PendingDocuments } from '../certificates/issue-certificate.js';
import { workflowStep } from '../shared/workflow-step.js';
import { certificationVersion } from './session-outcomes.js';
import { SessionItem, stepContext } from './session-item.js';
import { stepHandler } from './workflow-lambda.js';

/**
 * The certificates a candidate's outcome gives: the titre, or one CCP certificate per bloc acquired. Each code
 * is drawn at random once and reserved on the candidate's stream before issuing, so a retry reissues the same.
 * Appends CertificateIssued; the PDFs (RenderCertificatePdfs) and the signed credentials
 * (AttachCertificateDocuments) follow as their own Tasks.
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
  const issued: string[] = [];
  const pending: PendingDocuments[] = [];
  for (const w of wanted) {
    const reserved = await deps.commands.handle(
      candidate,
      candidateStream(candidateId),
      { type: 'ReserveCertificateCode', candidateId, issuanceKey: w.key, code: newCertificateCode(), kind: w.kind, rncp: item.rncp, blocs: w.blocs },
      stepContext(item, `reserve:${w.key}`, deps.clock.now()),
    );
    const code = reserved.state.reservations[w.key]!.code;
    const begun = await beginIssuance(deps, {
      code,
      candidateId,
      kind: w.kind,
      rncp: item.rncp,
      blocs: w.blocs,
      issuedOn: item.decidedOn,
      sessionId: item.sessionId,
      ...(w.kind === 'titre' ? { route: titreRoute } : {}),
      commandId: `certificate:${w.key}:${candidateId}`,
    });
    if ('pending' in begun) pending.push(begun.pending);
    issued.push(code);
  }
  return { issued, pending };
});

export const handler = stepHandler(step);
