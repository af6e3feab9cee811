import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwinScheduler, LocalStepFunctions, type Execution } from '../../functions/twin/local-services.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import { fireDueSchedules, roleCallerByArn } from '../../functions/twin/schedules.js';
import type { StackModel } from '../../functions/twin/template.js';
import { SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';

const work = mkdtempSync(join(tmpdir(), 'twin-schedules-'));
let stack: StackModel;
let resolver: Resolver;
let scheduler: TwinScheduler;
let stepFunctions: LocalStepFunctions;
const started: Execution[] = [];

beforeAll(async () => {
  stack = await synthesizedStack();
  resolver = createResolver(stack);
  stepFunctions = new LocalStepFunctions(
    stack.stateMachines.map((m) => resolver.ref(m.logicalId)),
    async (e) => {
      started.push(e);
      return null;
    },
  );
  scheduler = new TwinScheduler(resolver.region, resolver.account, join(work, 'schedules.json'));
}, SYNTH_TIMEOUT);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The role the template gives EventBridge Scheduler: the one whose trust policy names scheduler.amazonaws.com. */
const schedulerRoleArn = () => {
  const role = stack.roles.find((r) => JSON.stringify(r.assumeRolePolicy).includes('scheduler.amazonaws.com'))!;
  return resolver.getAtt(role.roleLogicalId, 'Arn');
};
const machine = (name: string) => stack.stateMachines.map((m) => resolver.ref(m.logicalId)).find((arn) => arn.endsWith(`-${name}`))!;
const group = () => resolver.resolveString(stack.scheduleGroups[0]!.name);
const schedule = (name: string, at: string, roleArn: string, action: 'NONE' | 'DELETE' = 'DELETE') =>
  scheduler.create(
    name,
    {
      GroupName: group(),
      ScheduleExpression: `at(${at})`,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: machine('capitalisation'), RoleArn: roleArn, Input: JSON.stringify({ action: 'check', name }) },
      ActionAfterCompletion: action,
    },
    false,
  );

describe('one-time schedules firing as their role', () => {
  it('starts the target when the clock passes the schedule, not before, then deletes it', async () => {
    schedule('remind-1', '2030-01-01T00:00:00', schedulerRoleArn());
    expect(await fireDueSchedules(new Date('2029-12-31T23:59:59Z'), scheduler, stepFunctions, stack, resolver)).toEqual([]);
    const fired = await fireDueSchedules(new Date('2030-01-01T00:00:01Z'), scheduler, stepFunctions, stack, resolver);
    expect(fired.map((f) => [f.schedule.Name, f.outcome])).toEqual([['remind-1', 'started']]);
    expect(started.map((e) => JSON.parse(e.input) as unknown)).toContainEqual({ action: 'check', name: 'remind-1' });
    expect(scheduler.list().map((s) => s.Name)).not.toContain('remind-1');
  });

  it("refuses to start a target the schedule's role may not start, as the Scheduler would fail the invocation", async () => {
    const notScheduler = resolver.getAtt(stack.functions[0]!.roleLogicalId!, 'Arn');
    expect(roleCallerByArn(stack, resolver, notScheduler, 's')).toBeDefined();
    schedule('remind-2', '2030-01-01T00:00:00', notScheduler);
    const [fired] = await fireDueSchedules(new Date('2030-01-02T00:00:00Z'), scheduler, stepFunctions, stack, resolver);
    expect(fired).toMatchObject({ outcome: 'denied' });
    expect(fired!.detail).toContain('is not authorized to perform: states:StartExecution');
  });

  it('keeps a schedule without DELETE, spent (disabled), and keeps schedules across a restart', async () => {
    schedule('remind-3', '2030-01-01T00:00:00', schedulerRoleArn(), 'NONE');
    schedule('remind-4', '2031-01-01T00:00:00', schedulerRoleArn());
    await fireDueSchedules(new Date('2030-06-01T00:00:00Z'), scheduler, stepFunctions, stack, resolver);
    const reopened = new TwinScheduler(resolver.region, resolver.account, join(work, 'schedules.json'));
    expect(reopened.get(group(), 'remind-3').State).toBe('DISABLED');
    expect(reopened.get(group(), 'remind-4')).toMatchObject({ State: 'ENABLED', At: '2031-01-01T00:00:00Z' });
  });
});
