import * as z from '../../events/zod.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { certificateNotFound, PublicCodeParams, limitedLookup } from './verification.js';

export const route = defineRoute({
  summary: 'The signed credential of a certificate (public, rate limited): a compact JWS of its Open Badges 3.0 AchievementCredential',
  params: PublicCodeParams,
  response: { status: 200, schema: z.string(), contentType: 'application/vc+jwt' },
  async handle({ params, ctx }, deps) {
    const looked = await limitedLookup(deps, ctx.request, params.code);
    if (!looked.doc?.credential) throw certificateNotFound();
    return { status: 200, headers: { 'content-type': 'application/vc+jwt' }, body: looked.doc.credential.jws };
  },
});

export const handler = lambdaHandler('certificates/get-credential', route);
