import * as z from '../../events/zod.js';
import { notFound } from '../../domain/errors.js';
import { StatusListId } from '../../events/certificate.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { certifiersBySlug, parseStatusListId, statusListCredential } from './issuer-documents.js';

/**
 * How long CloudFront and verifiers may keep a status list: a revocation shows to standard verifiers within
 * this delay (GET /verify answers at once). Five minutes keeps the signing (KMS) off most requests.
 */
export const STATUS_LIST_MAX_AGE_SECONDS = 300;

export const route = defineRoute({
  summary: "A certifier's revocation status list: a signed BitstringStatusListCredential (VC-JWT) of 131,072 entries",
  params: z.object({ listId: StatusListId }),
  response: { status: 200, schema: z.string(), contentType: 'application/vc+jwt' },
  async handle({ params }, deps) {
    const parsed = parseStatusListId(params.listId);
    const certifier = parsed && (await certifiersBySlug(deps)).get(parsed.slug);
    if (!certifier) throw notFound('status-list-not-found', `no status list ${params.listId}`);
    return {
      status: 200,
      headers: { 'content-type': 'application/vc+jwt', 'cache-control': `public, max-age=${STATUS_LIST_MAX_AGE_SECONDS}` },
      body: await statusListCredential(deps, certifier, params.listId),
    };
  },
});

export const handler = lambdaHandler('certificates/get-status-list', route);
