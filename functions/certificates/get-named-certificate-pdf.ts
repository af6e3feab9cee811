import * as z from '../../events/zod.js';
import { forbidden } from '../../domain/errors.js';
import { Id } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { holderOf, namedCertificateFacts } from './named-certificate.js';
import { certificateByCode, certificateNotFound, CodeParams } from './verification.js';

/**
 * The holder's own copy of their certificate, naming them (unlike the public PDF by code): rendered per request,
 * never stored, the name and birth date decrypted for it and the read written to their access log.
 */
export const route = defineRoute({
  summary: "The holder's named PDF of their certificate: name and birth date, jury, issuing authority as named on the issue date, status; the read is recorded in their access log",
  params: z.extend(CodeParams, { candidateId: Id }),
  response: { status: 200, contentType: 'application/pdf' },
  async handle({ params, ctx }, deps) {
    if (ctx.caller!.ledgerId !== params.candidateId) throw forbidden('not-your-certificate', 'a holder downloads the named PDF of their own certificates only');
    const doc = await certificateByCode(deps, params.code);
    // Another person's code, an unknown one and one whose documents are not attached yet: the same 404.
    if (!doc || doc.candidateId !== params.candidateId || !doc.issuance.hash) throw certificateNotFound();
    const { pdf, jury, authority, status } = await namedCertificateFacts(deps, { ...doc, issuance: { ...doc.issuance, hash: doc.issuance.hash } });
    const holder = await holderOf(deps, ctx, doc.candidateId);
    // Loaded on the first download, not at cold start: pdfkit and qrcode are a chunk beside the bundle (infra/bundling/code-splitting.ts).
    const { renderCertificatePdf } = await import('./certificate-pdf.js');
    const body = await renderCertificatePdf({ ...pdf, authority, named: { holder, ...(jury ? { jury } : {}), ...(status ? { status } : {}) } });
    return {
      status: 200,
      headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="certificat-${doc.code}-nominatif.pdf"`, 'cache-control': 'no-store' },
      body,
    };
  },
});

export const handler = lambdaHandler('certificates/get-named-certificate-pdf', route);
