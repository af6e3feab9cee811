import { createHash } from 'node:crypto';
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Scheduler, Timer } from '../ports/scheduler.js';

/** One-time EventBridge Scheduler schedules that start a state machine, deleted after they ran. */
export class EventBridgeScheduler implements Scheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly options: { groupName: string; roleArn: string; stateMachineArn: (workflow: string) => string },
  ) {}

  async schedule(timer: Timer): Promise<void> {
    try {
      await this.client.send(
        new CreateScheduleCommand({
          // Schedule names: 1-64 of [0-9a-zA-Z-_.]; a hash keeps them unique and stable for the same timer.
          Name: `t-${createHash('sha256').update(timer.name).digest('hex').slice(0, 40)}`,
          GroupName: this.options.groupName,
          ScheduleExpression: `at(${timer.at.slice(0, 19)})`,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.options.stateMachineArn(timer.workflow),
            RoleArn: this.options.roleArn,
            Input: JSON.stringify(timer.input),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
    }
  }
}
