import { sha256 } from '../../events/canonical-json.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { certificateNotFound, PublicCodeParams, limitedLookup } from './verification.js';

export const route = defineRoute({
  summary: 'The PDF of a certificate (public, rate limited), checked against the SHA-256 the ledger recorded',
  params: PublicCodeParams,
  response: { status: 200, contentType: 'application/pdf' },
  async handle({ params, ctx }, deps) {
    const looked = await limitedLookup(deps, ctx.request, params.code);
    const recorded = looked.doc?.pdf;
    if (!recorded) throw certificateNotFound();
    const stored = await deps.documents.get(recorded.key);
    if (!stored || sha256(stored.body) !== recorded.sha256) throw new Error(`the stored PDF of ${looked.doc!.code} does not match the SHA-256 in the ledger`);
    return {
      status: 200,
      headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="certificat-${looked.doc!.code}.pdf"` },
      body: stored.body,
    };
  },
});

export const handler = lambdaHandler('certificates/get-certificate-pdf', route);
