import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { EventBridgeScheduler } from '../../functions/adapters/eventbridge-scheduler.js';
import { SfnWorkflows } from '../../functions/adapters/sfn-workflows.js';

// No local emulator runs EventBridge Scheduler or Step Functions' API: these check the calls and the failure paths.
describe('EventBridge Scheduler adapter', () => {
  const arn = (w: string) => `arn:aws:states:eu-west-3:111122223333:stateMachine:ledger-${w}`;
  const NOW = '2019-01-01T00:00:00.000Z';
  const options = (overrides: Partial<{ groupName: string; roleArn: string }> = {}) => ({
    groupName: 'ledger',
    roleArn: 'arn:role',
    deadLetterArn: 'arn:aws:sqs:eu-west-3:111122223333:timers-dlq',
    stateMachineArn: arn,
    clock: { now: () => NOW },
    workflows: () => new SfnWorkflows(new SFNClient({ region: 'eu-west-3' }), arn),
    ...overrides,
  });

  it('creates a one-time schedule in UTC that starts the workflow and deletes itself', async () => {
    const mock = mockClient(SchedulerClient);
    mock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'x' });
    const scheduler = new EventBridgeScheduler(new SchedulerClient({ region: 'eu-west-3' }), options());
    await scheduler.schedule({ name: 'check:k1:RNCP12505BC01:2019-03-10', at: '2019-03-11T00:00:00.000Z', workflow: 'capitalisation', input: { action: 'check' } });
    const input = mock.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      GroupName: 'ledger',
      ScheduleExpression: 'at(2019-03-11T00:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: arn('capitalisation'), RoleArn: 'arn:role', Input: '{"action":"check"}', DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-3:111122223333:timers-dlq' } },
    });
    expect(input.Name).toMatch(/^t-[0-9a-f]{40}$/);
  });

  it('a timer already due starts its workflow at once, under the name its schedule would have had, and creates no schedule', async () => {
    const mock = mockClient(SchedulerClient);
    // Step Functions through its adapter, on a mocked client.
    const started: [string, string, unknown][] = [];
    mockClient(SFNClient)
      .on(StartExecutionCommand)
      .callsFake((input: { stateMachineArn: string; name: string; input: string }) => {
        started.push([input.stateMachineArn, input.name, JSON.parse(input.input)]);
        return { executionArn: `${input.stateMachineArn}:${input.name}`, startDate: new Date() };
      });
    const scheduler = new EventBridgeScheduler(new SchedulerClient({ region: 'eu-west-3' }), options());
    await scheduler.schedule({ name: 'check:k2:RNCP12505BC01:2018-06-01', at: '2018-06-01T00:00:00.000Z', workflow: 'capitalisation', input: { action: 'check' } });
    expect(mock.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    expect(started).toEqual([[arn('capitalisation'), 'check_k2_RNCP12505BC01_2018-06-01', { action: 'check' }]]);
  });

  it('scheduling the same timer again is a success (ConflictException)', async () => {
    const mock = mockClient(SchedulerClient);
    mock.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    const scheduler = new EventBridgeScheduler(new SchedulerClient({ region: 'eu-west-3' }), options({ groupName: 'g', roleArn: 'r' }));
    await expect(scheduler.schedule({ name: 'n', at: '2030-01-01T00:00:00.000Z', workflow: 'capitalisation', input: {} })).resolves.toBeUndefined();
  });

  it('a throttling error surfaces, so the workflow step is retried', async () => {
    const mock = mockClient(SchedulerClient);
    mock.on(CreateScheduleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const scheduler = new EventBridgeScheduler(new SchedulerClient({ region: 'eu-west-3' }), options({ groupName: 'g', roleArn: 'r' }));
    await expect(scheduler.schedule({ name: 'n', at: '2030-01-01T00:00:00.000Z', workflow: 'capitalisation', input: {} })).rejects.toThrow('Rate exceeded');
  });
});

describe('Step Functions adapter', () => {
  const arn = (w: string) => `arn:aws:states:eu-west-3:111122223333:stateMachine:ledger-${w}`;

  it('starts an execution named after the request', async () => {
    const mock = mockClient(SFNClient);
    mock.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:eu-west-3:111122223333:execution:ledger-session:session-s1', startDate: new Date() });
    const out = await new SfnWorkflows(new SFNClient({ region: 'eu-west-3' }), arn).start('session', 'session-s1', { sessionId: 's1' });
    expect(out.executionId).toBe('arn:aws:states:eu-west-3:111122223333:execution:ledger-session:session-s1');
    expect(mock.commandCalls(StartExecutionCommand)[0]!.args[0].input).toEqual({ stateMachineArn: arn('session'), name: 'session-s1', input: '{"sessionId":"s1"}' });
  });

  it('a second start with the same name answers with the existing execution', async () => {
    const mock = mockClient(SFNClient);
    mock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const out = await new SfnWorkflows(new SFNClient({ region: 'eu-west-3' }), arn).start('session', 'session-s1', { sessionId: 's1' });
    expect(out.executionId).toBe('arn:aws:states:eu-west-3:111122223333:execution:ledger-session:session-s1');
  });
});
