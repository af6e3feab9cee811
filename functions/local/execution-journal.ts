import { ConditionalCheckFailedException, PutItemCommand, ScanCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/** One workflow execution as the local runner keeps it across restarts. */
export interface ExecutionRecord {
  executionId: string;
  workflow: string;
  name: string;
  input: Record<string, unknown>;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startedAt: string;
  endedAt?: string;
  /** How many times it was started: 1, plus one per restart that found it still running and ran it again. */
  runs: number;
  error?: string;
}

/** Where LocalWorkflows writes each execution before running it, so a restart finds what was cut short. */
export interface ExecutionJournal {
  /** Every execution recorded, whatever its status. */
  all(): Promise<ExecutionRecord[]>;
  /** Records a new execution; false when one with this id exists already (nothing written). */
  begin(record: ExecutionRecord): Promise<boolean>;
  /** An execution found RUNNING at start is run again from its start. */
  rerun(executionId: string, runs: number): Promise<void>;
  end(executionId: string, status: 'SUCCEEDED' | 'FAILED', endedAt: string, error?: string): Promise<void>;
}

/**
 * The journal in the local dynalite (table `ledger-workflow-executions`, pk = execution id): a conditional
 * PutItem when an execution starts (the start is acknowledged only after it), an update when it ends. Step
 * Functions keeps its executions itself in AWS; this is the local runner's stand-in.
 */
export class DynamoExecutionJournal implements ExecutionJournal {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async all(): Promise<ExecutionRecord[]> {
    const records: ExecutionRecord[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey }));
      for (const item of page.Items ?? []) {
        const { pk: _, input, ...rest } = unmarshall(item) as Omit<ExecutionRecord, 'input'> & { pk: string; input: string };
        records.push({ ...rest, input: JSON.parse(input) as Record<string, unknown> });
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records;
  }

  async begin(record: ExecutionRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ pk: record.executionId, ...record, input: JSON.stringify(record.input) }, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async rerun(executionId: string, runs: number): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: executionId }),
        UpdateExpression: 'SET runs = :runs',
        ExpressionAttributeValues: marshall({ ':runs': runs }),
      }),
    );
  }

  async end(executionId: string, status: 'SUCCEEDED' | 'FAILED', endedAt: string, error?: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: executionId }),
        UpdateExpression: error ? 'SET #status = :status, endedAt = :endedAt, #error = :error' : 'SET #status = :status, endedAt = :endedAt',
        ExpressionAttributeNames: { '#status': 'status', ...(error ? { '#error': 'error' } : {}) },
        ExpressionAttributeValues: marshall({ ':status': status, ':endedAt': endedAt, ...(error ? { ':error': error } : {}) }),
      }),
    );
  }
}
