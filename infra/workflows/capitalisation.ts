import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { stepTask } from './session.js';
import type { WorkflowDefinition } from './workflow.js';

/**
 * The candidate's capitalisation: on each CcpAcquired, recompute the livret and schedule (EventBridge Scheduler,
 * not a Wait: usability runs for years) a reminder 90 days before each usableUntil and a check at it; the
 * scheduled executions come back here with action `remind` or `check`.
 */
export const capitalisationWorkflow: WorkflowDefinition = {
  name: 'capitalisation',
  definition(scope, functions) {
    const plan = stepTask(scope, functions, 'PlanUsabilityTimers', 'workflows/plan-usability-timers');
    const remind = stepTask(scope, functions, 'SendUsabilityReminder', 'workflows/send-usability-reminder');
    const check = stepTask(scope, functions, 'CheckUsability', 'workflows/check-usability');
    return new sfn.Choice(scope, 'WhatToDo')
      .when(sfn.Condition.stringEquals('$.action', 'recompute'), plan)
      .when(sfn.Condition.stringEquals('$.action', 'remind'), remind)
      .when(sfn.Condition.stringEquals('$.action', 'check'), check)
      .otherwise(new sfn.Fail(scope, 'UnknownAction', { error: 'UnknownAction', cause: 'action must be recompute, remind or check' }));
  },
};
