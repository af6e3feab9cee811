import { createHash } from 'node:crypto';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Clock } from '../ports/clock.js';
import { type Scheduler, type Timer, timerExecutionName } from '../ports/scheduler.js';
import type { Workflows } from '../ports/workflows.js';

/** A timer due within this margin is not worth a schedule (Scheduler fires with a minute's precision anyway). */
const DUE_MARGIN_MS = 60_000;

/**
 * One-time EventBridge Scheduler schedules that start a state machine, deleted after they ran; a schedule whose
 * target keeps failing goes to the dead-letter queue (alarmed on). A timer already due (a bloc acquired long ago,
 * a check recomputed late) starts its workflow at once, under the name its schedule would have used.
 */
export class EventBridgeScheduler implements Scheduler {
  constructor(
    private readonly client: Pick<SchedulerClient, 'send'>,
    private readonly options: {
      groupName: string;
      roleArn: string;
      deadLetterArn: string;
      stateMachineArn: (workflow: string) => string;
      clock: Clock;
      workflows: () => Workflows;
    },
  ) {}

  async schedule(timer: Timer): Promise<void> {
    if (Date.parse(timer.at) <= Date.parse(this.options.clock.now()) + DUE_MARGIN_MS) {
      await this.options.workflows().start(timer.workflow, timerExecutionName(timer), timer.input);
      return;
    }
    // Imported on first use: only the functions that schedule load this SDK package.
    const { ConflictException, CreateScheduleCommand } = await import('@aws-sdk/client-scheduler');
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
            DeadLetterConfig: { Arn: this.options.deadLetterArn },
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
    }
  }
}
