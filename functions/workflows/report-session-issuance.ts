import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { loggableCode } from '../shared/loggable.js';
import { workflowStep } from '../shared/workflow-step.js';
import { stepHandler } from './workflow-lambda.js';

const Input = z.object({
  sessionId: Id,
  results: z.array(z.object({ candidateId: Id, status: z.enum(['done', 'failed']), error: z.optional(z.unknown()), certificates: z.optional(z.array(z.string())) })),
});

/** Last state of the session workflow: the candidates that kept failing are reported, the others are done. */
export const step = workflowStep(Input, async (deps, { sessionId, results }) => {
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length) {
    // The codes already issued to a candidate who failed later, hashed: a log line gives no code away.
    const logged = failed.map((f) => ({ candidateId: f.candidateId, error: f.error, ...(f.certificates ? { certificates: f.certificates.map(loggableCode) } : {}) }));
    deps.logger.error('session workflow: candidates not issued', { sessionId, failed: logged });
  }
  return { sessionId, done: results.length - failed.length, failed: failed.map((f) => ({ candidateId: f.candidateId, error: f.error })) };
});

export const handler = stepHandler(step);
