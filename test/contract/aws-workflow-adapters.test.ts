import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { EventBridgeScheduler } from '../../functions/adapters/eventbridge-scheduler.js';
import { SfnWorkflows } from '../../functions/adapters/sfn-workflows.js';

// No local emulator runs EventBridge Scheduler or Step Functions' API: these check the calls and the failure paths.
describe('EventBridge Scheduler adapter', () => {
  const arn = (w: string) => `arn:aws:states:eu-west-3:111122223333:stateMachine:ledger-${w}`;

  it('creates a one-time schedule in UTC that starts the workflow and deletes itself', async () => {
    const mock = mockClient(SchedulerClient);
    mock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'x' });
    const scheduler = new EventBridgeScheduler(new SchedulerClient({ region: 'eu-west-3' }), { groupName: 'ledger', roleArn: 'arn:role', stateMachineArn: arn });
    await scheduler.schedule({ name: 'check:k1:RNCP12505BC01:2019-03-10', at: '2019-03-11T00:00:00.000Z', workflow: 'capitalisation', input: { action: 'check' } });
    const input = mock.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      GroupName: 'ledger',
      ScheduleExpression: 'at(2019-03-11T00:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: arn('capitalisation'), RoleArn: 'arn:role', Input: '{"action":"check"}' },
    });
    expect(input.Name).toMatch(/^t-[0-9a-f]{40}$/);
  });

  it('scheduling the same timer again is a success (ConflictException)', async () => {
    const mock = mockClient(SchedulerClient);
    mock.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    const scheduler = new EventBridgeScheduler(new SchedulerClient({ region: 'eu-west-3' }), { groupName: 'g', roleArn: 'r', stateMachineArn: arn });
    await expect(scheduler.schedule({ name: 'n', at: '2030-01-01T00:00:00.000Z', workflow: 'capitalisation', input: {} })).resolves.toBeUndefined();
  });

  it('a throttling error surfaces, so the workflow step is retried', async () => {
    const mock = mockClient(SchedulerClient);
    mock.on(CreateScheduleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const scheduler = new EventBridgeScheduler(new SchedulerClient({ region: 'eu-west-3' }), { groupName: 'g', roleArn: 'r', stateMachineArn: arn });
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
