import * as z from 'zod/mini';
import { awsDocuments } from '../composition/aws-documents.js';
import { storeCertificatePdf } from '../certificates/certificate-pdf-store.js';
import type { CertificatePdfInput } from '../certificates/certificate-pdf.js';
import type { DocumentStore } from '../ports/document-store.js';

/**
 * A lean Lambda of its own (zod/mini, no event store): pdfkit and qrcode alone weigh ~200 KB, so the PDFs are
 * rendered and stored here, between IssueCertificates and AttachCertificateDocuments.
 */
const Coordinates = z.object({ stream: z.string(), version: z.number(), hash: z.string() });
const PdfInput = z.object({
  publicBaseUrl: z.string(),
  stage: z.optional(z.literal('development')),
  code: z.string(),
  kind: z.enum(['titre', 'ccp', 'ccs']),
  certification: z.object({ rncp: z.string(), title: z.string(), level: z.number(), certifier: z.string() }),
  blocs: z.array(z.object({ code: z.string(), title: z.string() })),
  issuedOn: z.string(),
  issuance: Coordinates,
  route: z.optional(z.enum(['session', 'capitalisation', 'equivalence', 'vae'])),
  authority: z.optional(z.object({ header: z.string(), issuedBy: z.string(), ofTheState: z.boolean() })),
});
const Input = z.object({ certificates: z.object({ pending: z.array(z.object({ pdf: PdfInput })) }) });

export async function renderPdfs(documents: DocumentStore, raw: unknown) {
  const { certificates } = Input.parse(raw);
  const pdfs: { code: string; key: string; sha256: string }[] = [];
  for (const { pdf } of certificates.pending) pdfs.push({ code: pdf.code, ...(await storeCertificatePdf(documents, pdf as CertificatePdfInput)) });
  return { pdfs };
}

/** For the local runner: same `run(deps, input)` shape as the other steps. */
export const step = { run: (deps: { documents: DocumentStore }, raw: unknown) => renderPdfs(deps.documents, raw) };

export const handler = async (event: unknown) => renderPdfs(awsDocuments(), event);
