import * as z from '../../events/zod.js';
import { IsoDate } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { PublicCodeParams, VerificationAnswer, verifyCertificate } from './verification.js';

export const route = defineRoute({
  summary: 'Verifies a certificate by its code (public, rate limited): status, certification, blocs, date, masked holder; the same 404 for unknown and malformed codes',
  params: PublicCodeParams,
  query: z.object({ familyName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))), asOf: z.optional(IsoDate) }),
  response: { status: 200, schema: VerificationAnswer },
  handle: ({ params, query, ctx }, deps) => verifyCertificate(deps, { typedCode: params.code, familyName: query.familyName, asOf: query.asOf, request: ctx.request }),
});

export const handler = lambdaHandler('certificates/verify-certificate', route);
