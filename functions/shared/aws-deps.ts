import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoEventStore } from '../adapters/dynamodb-event-store.js';
import { DynamoIdempotencyStore } from '../adapters/dynamodb-idempotency-store.js';
import { DynamoReadModelStore } from '../adapters/dynamodb-read-model-store.js';
import { systemClock } from '../ports/clock.js';
import { CommandHandler } from './command-handler.js';
import type { LedgerDeps } from './deps.js';

let deps: LedgerDeps | undefined;

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
};

/** The ports wired to AWS, from the table and bucket names CDK puts in the environment. Once per cold start. */
export function awsDeps(): LedgerDeps {
  if (deps) return deps;
  const dynamo = new DynamoDBClient({});
  const store = new DynamoEventStore(dynamo, env('EVENTS_TABLE'));
  deps = {
    store,
    commands: new CommandHandler(store),
    readModels: new DynamoReadModelStore(dynamo, env('READ_MODELS_TABLE')),
    idempotency: new DynamoIdempotencyStore(dynamo, env('IDEMPOTENCY_TABLE')),
    clock: systemClock,
    logger: new Logger({ serviceName: 'certification-ledger' }),
  };
  return deps;
}
