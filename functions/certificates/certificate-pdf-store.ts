import type { DocumentStore } from '../ports/document-store.js';
import type { CertificatePdfInput } from './certificate-pdf.js';

export const certificatePdfKey = (code: string) => `certificates/${code}.pdf`;

/**
 * Phase 2 of an issuance: renders the PDF and stores it. Deterministic: a retry stores the very same bytes. The
 * renderer (pdfkit, qrcode) is imported on the first PDF: in the Lambda bundle it is a chunk beside index.mjs that
 * a cold start does not load (infra/bundling/code-splitting.ts).
 */
export async function storeCertificatePdf(documents: DocumentStore, input: CertificatePdfInput): Promise<{ key: string; sha256: string }> {
  const { renderCertificatePdf } = await import('./certificate-pdf.js');
  return documents.put(certificatePdfKey(input.code), await renderCertificatePdf(input), 'application/pdf');
}
