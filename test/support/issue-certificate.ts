import type { LedgerDeps } from '../../functions/shared/deps.js';
import { storeCertificatePdf } from '../../functions/certificates/certificate-pdf-store.js';
import { beginIssuance, completeIssuance, type IssueCertificateInput, type IssuedCertificate } from '../../functions/certificates/issue-certificate.js';

export { certificatePdfKey } from '../../functions/certificates/certificate-pdf-store.js';

/**
 * Tests and benches only (the session workflow runs the three phases as its own Tasks). Issues a certificate: appends CertificateIssued, then builds the credential and the PDF (both quote that
 * commit's coordinates), signs the credential, stores the PDF, and appends CertificateDocumentsAttached with
 * the JWS and the PDF's SHA-256. Idempotent: a retry with the same code appends nothing that is already there,
 * finishes what a crash left undone, and returns the same result. The session workflow runs the three phases as
 * separate Tasks (beginIssuance, storeCertificatePdf in a lean Lambda, completeIssuance).
 */
export async function issueCertificate(deps: LedgerDeps, input: IssueCertificateInput): Promise<IssuedCertificate> {
  const begun = await beginIssuance(deps, input);
  if ('done' in begun) return begun.done;
  const pdf = await storeCertificatePdf(deps.documents, begun.pending.pdf);
  return completeIssuance(deps, begun.pending, pdf);
}
