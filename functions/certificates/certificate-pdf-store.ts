import type { DocumentStore } from '../ports/document-store.js';
import { renderCertificatePdf, type CertificatePdfInput } from './certificate-pdf.js';

export const certificatePdfKey = (code: string) => `certificates/${code}.pdf`;

/** Phase 2 of an issuance: renders the PDF and stores it. Deterministic: a retry stores the very same bytes. */
export async function storeCertificatePdf(documents: DocumentStore, input: CertificatePdfInput): Promise<{ key: string; sha256: string }> {
  return documents.put(certificatePdfKey(input.code), await renderCertificatePdf(input), 'application/pdf');
}
