import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../adapters/dynamodb-client.js';
import * as z from '../../events/zod.js';
import { DynamoEventStore } from '../adapters/dynamodb-event-store.js';
import { DynamoReadModelStore, DynamoReadModelTable } from '../adapters/dynamodb-read-model-store.js';
import type { EventStore } from '../ports/event-store.js';
import { followers, projections } from '../projections/index.js';
import { Projector } from '../projections/projector.js';
import { type Colour, RebuildRefusedError, type RebuildTables } from '../operations/read-model-rebuild.js';

/**
 * What the rebuild's functions work on (functions/operations/): the events table and both read-model tables.
 * Their own environment, parsed at cold start: they do not compose the ledger (no route, no workflow, no key).
 */
export const RebuildEnvironment = z.object({
  EVENTS_TABLE: z.string().check(z.minLength(1)),
  /** The table the functions serve from: blue's or green's name. */
  READ_MODELS_TABLE: z.string().check(z.minLength(1)),
  READ_MODELS_BLUE_TABLE: z.string().check(z.minLength(1)),
  READ_MODELS_GREEN_TABLE: z.string().check(z.minLength(1)),
});
export type RebuildEnvironment = z.infer<typeof RebuildEnvironment>;

export interface ReadModelRebuild extends RebuildTables {
  store: EventStore;
  /** Every projection into the target, without the followers (they run after, over whole documents). */
  documentsInto(colour: Colour): Projector;
  /** The followers alone (statistics rollups), reading and writing the target. */
  followersInto(colour: Colour): Projector;
  table(colour: Colour): DynamoReadModelTable;
}

export function readModelRebuild(dynamo: DynamoDBClient, env: RebuildEnvironment): ReadModelRebuild {
  const names: Record<Colour, string> = { blue: env.READ_MODELS_BLUE_TABLE, green: env.READ_MODELS_GREEN_TABLE };
  const active = (Object.keys(names) as Colour[]).find((colour) => names[colour] === env.READ_MODELS_TABLE);
  if (!active) throw new RebuildRefusedError(`READ_MODELS_TABLE (${env.READ_MODELS_TABLE}) is neither the blue nor the green table`);
  const store = new DynamoEventStore(dynamo, env.EVENTS_TABLE);
  const readModels = (colour: Colour) => new DynamoReadModelStore(dynamo, names[colour]);
  return {
    active,
    tableOf: (colour) => names[colour],
    store,
    documentsInto: (colour) => new Projector(store, readModels(colour), projections, []),
    followersInto: (colour) => new Projector(store, readModels(colour), [], followers),
    table: (colour) => new DynamoReadModelTable(dynamo, names[colour]),
  };
}

let rebuild: ReadModelRebuild | undefined;

/** In a rebuild Lambda: composed once per cold start from its environment. */
export function awsReadModelRebuild(env: Record<string, string | undefined> = process.env): ReadModelRebuild {
  rebuild ??= readModelRebuild(dynamoClient(), RebuildEnvironment.parse(env));
  return rebuild;
}
