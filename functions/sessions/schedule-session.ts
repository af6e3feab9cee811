import * as z from '../../events/zod.js';
import { session, sessionStream } from '../../domain/session.js';
import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { created, defineRoute } from '../shared/route.js';
import { callerId, centreFacts, certificationOf } from './session-facts.js';
import { ScheduleBody } from './session-schemas.js';

export const route = defineRoute({
  summary: 'Schedule a titre or ccp session at the calling centre',
  body: ScheduleBody,
  response: { status: 201, schema: z.object({ sessionId: z.string() }) },
  async handle({ body, ctx }, deps) {
    const sessionId = ctx.ids.next();
    const [certification, centre] = await Promise.all([certificationOf(deps, body.rncp), centreFacts(deps, body.centreId)]);
    const command = { type: 'ScheduleSession' as const, sessionId, ...body, actingCentre: callerId(ctx), today: ledgerDate(ctx.command.now), certification, centre };
    await deps.commands.handle(session, sessionStream(sessionId), command, ctx.command, { assumeEmpty: true });
    return created({ sessionId });
  },
});

export const handler = lambdaHandler('sessions/schedule-session', route);
