import { notFound } from '../../domain/errors.js';
import { lambdaHandler } from '../shared/lambda.js';
import { z } from 'zod';
import { IsoInstant } from '../../events/define-event.js';
import { defineRoute, ok } from '../shared/route.js';

export const route = defineRoute({
  summary: 'Local only, with LEDGER_CLOCK=virtual:…: move the virtual clock forward and fire due timers',
  body: z.object({ now: z.union([IsoInstant, z.iso.datetime({ offset: true })]) }),
  response: { status: 200, schema: z.object({ now: z.string() }) },
  async handle({ body }, deps) {
    if (!deps.localClock) throw notFound('not-found', 'no virtual clock: start with LEDGER_CLOCK=virtual:<instant>');
    await deps.localClock.moveTo(new Date(body.now).toISOString());
    return ok({ now: deps.clock.now() });
  },
});

export const handler = lambdaHandler('local/move-clock', route);
