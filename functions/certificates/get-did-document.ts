import * as z from '../../events/zod.js';
import { notFound } from '../../domain/errors.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { certifierDidDocument, certifiersBySlug, hostDidDocument } from './issuer-documents.js';

const DidDocument = z.object({
  '@context': z.array(z.string()),
  id: z.string(),
  verificationMethod: z.array(z.object({ id: z.string(), type: z.string(), controller: z.string(), publicKeyJwk: z.record(z.string(), z.unknown()) })),
  assertionMethod: z.array(z.string()),
});

/**
 * The issuers' DID documents (did:web): GET /certifiers/{certifier}/did.json for a certifier's issuer, and
 * GET /.well-known/did.json for the host's own. One module for both routes: one function in AWS.
 */
export const route = defineRoute({
  summary: "An issuer's DID document (did:web): every signing key, current and retired, as a verification method of its DID",
  params: z.object({
    certifier: z.optional(z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a certifier as its DID names it'), z.maxLength(100))),
  }),
  response: { status: 200, schema: DidDocument, contentType: 'application/did+json' },
  async handle({ params }, deps) {
    let document: z.infer<typeof DidDocument>;
    if (params.certifier === undefined) document = await hostDidDocument(deps);
    else {
      const certifier = (await certifiersBySlug(deps)).get(params.certifier);
      if (!certifier) throw notFound('issuer-not-found', `no certifier ${params.certifier}`);
      document = await certifierDidDocument(deps, certifier);
    }
    return { status: 200, headers: { 'content-type': 'application/did+json', 'cache-control': 'public, max-age=300' }, body: JSON.stringify(document) };
  },
});

export const handler = lambdaHandler('certificates/get-did-document', route);
