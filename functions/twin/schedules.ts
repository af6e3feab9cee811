import { authorise, type Caller } from './authorise.js';
import type { TwinScheduler, LocalStepFunctions, Schedule } from './local-services.js';
import type { Resolver } from './resolver.js';
import type { StackModel } from './template.js';

/**
 * EventBridge Scheduler's side of a one-time schedule: when the clock passes its `at(…)`, it starts the
 * target (a state machine) as the schedule's role, which must be allowed states:StartExecution on it, then
 * deletes the schedule when asked to (ActionAfterCompletion DELETE).
 */

/** A role of the template as the principal a service assumes (the Scheduler assumes the schedule's role). */
export function roleCallerByArn(model: StackModel, resolver: Resolver, roleArn: string, sessionName: string): Caller | undefined {
  const role = model.roles.find((r) => resolver.getAtt(r.roleLogicalId, 'Arn') === roleArn);
  if (!role) return undefined;
  const roleName = resolver.ref(role.roleLogicalId);
  return {
    functionLogicalId: role.roleLogicalId,
    functionName: sessionName,
    roleArn,
    roleName,
    sessionArn: `arn:aws:sts::${resolver.account}:assumed-role/${roleName}/${sessionName}`,
    accountId: resolver.account,
    policies: resolver.rolePolicies(role.roleLogicalId),
  };
}

export interface FiredSchedule {
  schedule: Schedule;
  outcome: 'started' | 'denied' | 'failed';
  detail?: string;
}

export async function fireDueSchedules(now: Date, scheduler: TwinScheduler, stepFunctions: LocalStepFunctions, model: StackModel, resolver: Resolver): Promise<FiredSchedule[]> {
  const fired: FiredSchedule[] = [];
  for (const schedule of scheduler.list()) {
    if (!schedule.At || schedule.State !== 'ENABLED' || Date.parse(schedule.At) > now.getTime()) continue;
    const role = roleCallerByArn(model, resolver, schedule.Target.RoleArn, `scheduler-${schedule.Name}`.slice(0, 64));
    const request = { action: 'states:StartExecution', resource: schedule.Target.Arn };
    const decision = role ? await authorise(role, request) : undefined;
    let outcome: FiredSchedule;
    if (!decision?.allowed) {
      outcome = { schedule, outcome: 'denied', detail: decision && !decision.allowed ? decision.message : `no role ${schedule.Target.RoleArn} in the template` };
    } else {
      try {
        stepFunctions.handle('StartExecution', { stateMachineArn: schedule.Target.Arn, input: schedule.Target.Input ?? '{}' });
        outcome = { schedule, outcome: 'started' };
      } catch (e) {
        outcome = { schedule, outcome: 'failed', detail: (e as Error).message };
      }
    }
    fired.push(outcome);
    // A one-time schedule fires once, whatever came of it; DELETE removes it, NONE leaves it spent.
    if (schedule.ActionAfterCompletion === 'DELETE') scheduler.delete(schedule.GroupName, schedule.Name);
    else scheduler.create(schedule.Name, { ...schedule, State: 'DISABLED' }, true);
  }
  return fired;
}
