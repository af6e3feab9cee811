import * as z from '../../events/zod.js';
import { sessionExecutionName } from '../reactions/session-workflow-trigger.js';
import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { accepted, defineRoute } from '../shared/route.js';
import { callerId, centreFacts, runSessionCommand } from './session-facts.js';
import { SessionParams } from './session-schemas.js';

export const route = defineRoute({
  summary:
    'A DREETS agent validates the procès-verbal; the change feed then starts the session workflow under the execution name answered, which issues CCPs, titres and certificates',
  params: SessionParams,
  response: { status: 202, schema: z.object({ executionName: z.string() }) },
  async handle({ params: { sessionId }, ctx }, deps) {
    const today = ledgerDate(ctx.command.now);
    await runSessionCommand(deps, ctx, sessionId, async ({ state }) => ({
      type: 'ValidatePv',
      validatedBy: callerId(ctx),
      today,
      actingRegion: ctx.caller!.region,
      centreRegion: (await centreFacts(deps, state.centreId))?.region,
    }));
    return accepted({ executionName: sessionExecutionName(sessionId) });
  },
});

export const handler = lambdaHandler('sessions/validate-pv', route);
