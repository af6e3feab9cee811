import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { admittedOf, windowOf, type RateCount, type RateLimit, type RateLimiter } from '../ports/rate-limiter.js';

/**
 * Fixed-window counters in the rate-limit table (pk = `<key>#<window start>`, TTL `expiresAt`): one conditional
 * UpdateItem ADD per call, refused once the window is full, so every instance shares one count per window.
 */
export class DynamoRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    rule: RateLimit,
  ) {
    this.limit = rule.limit;
    this.windowSeconds = rule.windowSeconds;
  }

  async take(key: string, nowMs: number, hits = 1): Promise<RateCount> {
    const window = windowOf(nowMs, this.windowSeconds);
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: `${key}#${window.start}` }),
          UpdateExpression: 'ADD #count :hits SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: marshall({ ':hits': hits, ':limit': this.limit, ':expires': Math.ceil(window.end / 1000) + 60 }),
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const { count } = unmarshall(out.Attributes ?? {}) as { count: number };
      return { admitted: admittedOf(count, hits, this.limit), resetAt: window.end };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { admitted: 0, resetAt: window.end };
      throw error;
    }
  }
}
