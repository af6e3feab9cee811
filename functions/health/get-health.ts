import { lambdaHandler } from '../shared/lambda.js';
import * as z from '../../events/zod.js';
import { defineRoute, ok } from '../shared/route.js';

export const route = defineRoute({
  summary: 'Liveness of the ledger',
  response: { status: 200, schema: z.object({ status: z.literal('ok') }) },
  handle: async () => ok({ status: 'ok' }),
});

export const handler = lambdaHandler('health/get-health', route);
