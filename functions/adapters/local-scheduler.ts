import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type Scheduler, type Timer, timerExecutionName } from '../ports/scheduler.js';
import type { Clock } from '../ports/clock.js';
import type { Workflows } from '../ports/workflows.js';

/** What the local clock needs to fire timers in time order. */
export interface DueTimers {
  nextDue(until: string): Promise<Timer | undefined>;
  fire(timer: Timer): Promise<{ executionId: string }>;
}

/**
 * Timers kept in the local dynalite (so they survive a restart), fired in time order by the local clock.
 * Sort key `<at>|<name>`: a range query finds every timer due at an instant. A timer already due starts its workflow at once.
 */
export class LocalScheduler implements Scheduler, DueTimers {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly workflows: () => Workflows,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  async schedule(timer: Timer): Promise<void> {
    // Already due (a bloc whose usableUntil was past when recorded): started at once, as EventBridgeScheduler does,
    // not left for the next move of a virtual clock.
    if (timer.at <= this.clock.now()) {
      await this.workflows().start(timer.workflow, timerExecutionName(timer), timer.input);
      return;
    }
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ pk: 'timer', sk: `${timer.at}|${timer.name}`, timer: JSON.stringify(timer) }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** The earliest timer due at or before `until`, if any. */
  async nextDue(until: string): Promise<Timer | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p AND sk <= :until',
        ExpressionAttributeValues: marshall({ ':p': 'timer', ':until': `${until}|\uffff` }),
        ConsistentRead: true,
        Limit: 1,
      }),
    );
    const item = Items?.[0];
    return item ? (JSON.parse((unmarshall(item) as { timer: string }).timer) as Timer) : undefined;
  }

  /** Starts the timer's workflow, then removes the timer; a crash in between fires it again (steps are idempotent). */
  async fire(timer: Timer): Promise<{ executionId: string }> {
    const started = await this.workflows().start(timer.workflow, timerExecutionName(timer), timer.input);
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: marshall({ pk: 'timer', sk: `${timer.at}|${timer.name}` }) }));
    return started;
  }
}
