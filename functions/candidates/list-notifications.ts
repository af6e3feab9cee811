import { z } from 'zod';
import { Id } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import { readableRecord } from './candidate-access.js';

export const route = defineRoute({
  summary: "The candidate's notifications (results, reminders before a bloc lapses, lapses): the local outbox",
  params: z.object({ candidateId: Id }),
  response: {
    status: 200,
    schema: z.object({ candidateId: z.string(), notifications: z.array(z.object({ topic: z.string(), message: z.string(), at: z.string(), rncp: z.string().optional(), bloc: z.string().optional() })) }),
  },
  async handle({ params, ctx }, deps) {
    const { doc } = await readableRecord(deps, ctx.caller!, params.candidateId);
    return ok({ candidateId: doc.candidateId, notifications: doc.notifications.map(({ key: _, ...n }) => n) });
  },
});

export const handler = lambdaHandler('candidates/list-notifications', route);
