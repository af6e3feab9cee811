import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { workflowStep } from '../shared/workflow-step.js';
import { recordOfAt, referentialOf, usabilityTimers } from './capitalisation-facts.js';
import { stepHandler } from './workflow-lambda.js';

/** Recomputes the livret and asks the Scheduler for the reminders and checks it calls for (idempotent by name). */
export const step = workflowStep(
  z.object({ action: z.literal('recompute'), candidateId: Id, position: z.optional(z.number().check(z.int(), z.nonnegative())) }),
  async (deps, { candidateId, position }) => {
    const found = await recordOfAt(deps, candidateId);
    // In AWS the projector and this workflow read the same stream separately: wait (retry) until it caught up.
    if (!found || found.position < (position ?? 0)) throw new Error(`the record of ${candidateId} is not projected up to ${position} yet`);
    const record = found.doc;
    const timers = usabilityTimers(record, await referentialOf(deps), ledgerDate(deps.clock.now()));
    for (const t of timers) {
      await deps.scheduler.schedule({
        name: `${t.kind}:${candidateId}:${t.bloc}:${t.usableUntil}`,
        at: t.at,
        workflow: 'capitalisation',
        input: { action: t.kind, candidateId, rncp: t.rncp, bloc: t.bloc, usableUntil: t.usableUntil },
      });
    }
    return { scheduled: timers.length };
  },
);

export const handler = stepHandler(step);
