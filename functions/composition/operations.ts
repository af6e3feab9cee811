import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { dynamoClient, localDynamoClient } from '../adapters/dynamodb-client.js';
import { DynamoEventStore } from '../adapters/dynamodb-event-store.js';
import { DynamoReadModelStore } from '../adapters/dynamodb-read-model-store.js';
import { FileKeyRingStore, KeyRingSigner } from '../adapters/key-ring-signer.js';
import { KmsSigner, kmsSigningKeys } from '../adapters/kms-signer.js';
import { systemClock } from '../ports/clock.js';
import type { Signer } from '../ports/signer.js';
import { followers, projections } from '../projections/index.js';
import { Projector } from '../projections/projector.js';
import { LOCAL_TABLES } from './local-ledger.js';

/** What the operator's tools (verify-ledger, rebuild) work on: the events table, its client and the signing key. */
export interface LedgerOperations {
  dynamo: DynamoDBClient;
  eventsTable: string;
  signer: Signer;
  /** The projector over the events table, writing into `readModelTable` (a rebuild's fresh table). */
  projectorInto(readModelTable: string): Projector;
  close(): void;
}

const operations = (dynamo: DynamoDBClient, eventsTable: string, signer: Signer): LedgerOperations => ({
  dynamo,
  eventsTable,
  signer,
  projectorInto: (table) => new Projector(new DynamoEventStore(dynamo, eventsTable), new DynamoReadModelStore(dynamo, table), projections, followers),
  close: () => dynamo.destroy(),
});

/** On a data dir opened in an embedded dynalite (`npm start` stopped), behind its guard: signed with the data dir's credentials. */
export const localOperations = (dynamoEndpoint: string, dataDir: string, credentials?: { accessKeyId: string; secretAccessKey: string }) =>
  operations(localDynamoClient(dynamoEndpoint, credentials), LOCAL_TABLES.events, new KeyRingSigner(new FileKeyRingStore(join(dataDir, 'signing-keys')), systemClock));

/** In AWS: EVENTS_TABLE and the KMS signing key (SIGNING_KEY_ID, SIGNING_KEY_HISTORY) from the environment. */
export const awsOperations = (env: Record<string, string | undefined> = process.env) => {
  if (!env.EVENTS_TABLE) throw new Error('EVENTS_TABLE is not set');
  return operations(dynamoClient(), env.EVENTS_TABLE, new KmsSigner(new KMSClient({}), kmsSigningKeys(env)));
};
