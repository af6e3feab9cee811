import * as z from '../../events/zod.js';
import { DomainError } from '../../domain/errors.js';
import type { LedgerDeps } from './deps.js';

/**
 * A rule of the domain refused the step: retrying cannot help, so the workflows retry every error but this one
 * and report it for the item instead.
 */
export class StepRefusedError extends Error {
  override name = 'StepRefused';
}

export interface WorkflowStep<I = unknown, O = unknown> {
  run(deps: LedgerDeps, input: unknown): Promise<O>;
  readonly input: z.$ZodType<I>;
}

/** One Task of a workflow: input parsed with zod, domain refusals turned into StepRefused. */
export function workflowStep<I, O>(input: z.$ZodType<I>, run: (deps: LedgerDeps, input: I) => Promise<O>): WorkflowStep<I, O> {
  return {
    input,
    async run(deps, raw) {
      const parsed = z.parse(input, raw);
      try {
        return await run(deps, parsed);
      } catch (error) {
        if (error instanceof DomainError) throw new StepRefusedError(`${error.code}: ${error.message}`);
        throw error;
      }
    },
  };
}
