import { z } from 'zod';
import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { accepted, defineRoute } from '../shared/route.js';
import { callerId, centreFacts, runSessionCommand } from './session-facts.js';
import { SessionParams } from './session-schemas.js';

/** One execution per session: validating again names the same one. */
export const sessionExecutionId = (sessionId: string) => `session-${sessionId}`;

export const route = defineRoute({
  summary: 'A DREETS agent validates the procès-verbal; the session workflow then issues CCPs, titres and certificates',
  params: SessionParams,
  response: { status: 202, schema: z.object({ executionId: z.string() }) },
  async handle({ params: { sessionId }, ctx }, deps) {
    const today = ledgerDate(ctx.command.now);
    await runSessionCommand(deps, ctx, sessionId, async ({ state }) => ({
      type: 'ValidatePv',
      validatedBy: callerId(ctx),
      today,
      actingRegion: ctx.caller!.region,
      centreRegion: (await centreFacts(deps, state.centreId))?.region,
    }));
    const { executionId } = await deps.workflows.start('session', sessionExecutionId(sessionId), { sessionId });
    return accepted({ executionId });
  },
});

export const handler = lambdaHandler('sessions/validate-pv', route);
