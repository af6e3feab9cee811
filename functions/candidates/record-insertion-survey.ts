import * as z from '../../events/zod.js';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { Id } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { readableRecord } from './candidate-access.js';

export const route = defineRoute({
  summary: "A survey answer on the candidate's situation 6 or 24 months after certification (insertion rates)",
  params: z.object({ candidateId: Id }),
  body: z.object({
    horizon: z.enum(['6m', '24m']),
    situation: z.enum(['employed_target_job', 'employed_other', 'unemployed', 'neutralised']),
  }),
  response: { status: 201 },
  async handle({ params, body, ctx }, deps) {
    await readableRecord(deps, ctx.caller!, params.candidateId, ['ministry']);
    await deps.commands.handle(
      candidate,
      candidateStream(params.candidateId),
      { type: 'RecordInsertionSurvey', candidateId: params.candidateId, ...body, recordedBy: ctx.command.actor },
      ctx.command,
    );
    return created({});
  },
});

export const handler = lambdaHandler('candidates/record-insertion-survey', route);
