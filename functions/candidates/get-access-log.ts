import * as z from '../../events/zod.js';
import { forbidden } from '../../domain/errors.js';
import { Id } from '../../events/define-event.js';
import { AccessRecord } from '../ports/access-log.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';

export const AccessLogLine = z.extend(z.pick(AccessRecord, { at: true, purpose: true }), {
  reader: z.object({ role: z.string(), id: z.string() }).check(z.describe('who read: the role and the ledger id it acted for')),
});

export const route = defineRoute({
  summary: 'Who read the candidate’s personal data (their name), when and why, oldest first: for the candidate themself',
  params: z.object({ candidateId: Id }),
  response: { status: 200, schema: z.array(AccessLogLine) },
  async handle({ params, ctx }, deps) {
    if (ctx.caller!.ledgerId !== params.candidateId) throw forbidden('not-your-candidate', 'a candidate sees their own access log only');
    const records = await deps.accessLog.list(params.candidateId);
    return ok(
      records.map(({ at, purpose, reader }) => {
        const [role = '', ...id] = reader.split(':');
        return { at, purpose, reader: { role, id: id.join(':') } };
      }),
    );
  },
});

export const handler = lambdaHandler('candidates/get-access-log', route);
