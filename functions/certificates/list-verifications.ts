import * as z from '../../events/zod.js';
import { forbidden } from '../../domain/errors.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import { statusHistoryWithReasons } from './status-reasons.js';
import { certificateByCode, certificateNotFound, CodeParams, verificationsOf } from './verification.js';

export const route = defineRoute({
  summary: 'Who verified a certificate and when (never who), and each status with its reason and legal basis: for its holder and the DREETS',
  params: CodeParams,
  response: {
    status: 200,
    schema: z.object({
      code: z.string(),
      /**
       * Oldest first, the newest 100 lines: a verification each, or past a day's first 100, one line per outcome
       * counting that day's further verifications (`count`, from `firstAt` to `at`, no `asOf`).
       */
      verifications: z.array(
        z.object({
          at: z.string(),
          status: z.string(),
          asOf: z.optional(z.string()),
          familyNameChecked: z.boolean(),
          familyNameMatches: z.optional(z.boolean()),
          count: z.optional(z.number()),
          firstAt: z.optional(z.string()),
        }),
      ),
      /** What the public verification leaves out: why each status change was decided, and on what legal basis. */
      statusHistory: z.array(z.object({ status: z.string(), on: z.string(), reason: z.optional(z.string()), legalBasis: z.optional(z.string()) })),
    }),
  },
  async handle({ params, ctx }, deps) {
    const caller = ctx.caller!;
    const doc = await certificateByCode(deps, params.code);
    // A candidate learns nothing of a code that is not theirs, not even whether it exists.
    const allowed = caller.roles.includes('dreets') || (caller.roles.includes('candidate') && doc?.candidateId === caller.ledgerId);
    if (!allowed) throw forbidden('not-your-certificate', 'this certificate belongs to someone else');
    if (!doc) throw certificateNotFound();
    const [verifications, statusHistory] = await Promise.all([verificationsOf(deps, doc.code), statusHistoryWithReasons(deps, doc)]);
    return ok({ code: doc.code, verifications, statusHistory });
  },
});

export const handler = lambdaHandler('certificates/list-verifications', route);
