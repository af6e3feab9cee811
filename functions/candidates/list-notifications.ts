import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import { readableRecord } from './candidate-access.js';

export const route = defineRoute({
  summary: "The candidate's notifications (results, reminders before a bloc lapses, lapses): the local outbox",
  params: z.object({ candidateId: Id }),
  response: {
    status: 200,
    // API.md: `[{at, kind, text}]`, and the certification and bloc a notification is about.
    schema: z.array(z.object({ at: z.string(), kind: z.string(), text: z.string(), rncp: z.optional(z.string()), bloc: z.optional(z.string()) })),
  },
  async handle({ params, ctx }, deps) {
    const { doc } = await readableRecord(deps, ctx.caller!, params.candidateId);
    return ok(doc.notifications.map(({ at, topic, message, rncp, bloc }) => ({ at, kind: topic, text: message, ...(rncp ? { rncp } : {}), ...(bloc ? { bloc } : {}) })));
  },
});

export const handler = lambdaHandler('candidates/list-notifications', route);
