import { Logger } from '@aws-lambda-powertools/logger';
import { workflows as workflowDefinitions } from '../../infra/workflows/index.js';
import type { Commit } from '../../events/envelope.js';
import { localDynamoClient } from '../adapters/dynamodb-client.js';
import { DynamoEventStore, itemToCommit } from '../adapters/dynamodb-event-store.js';
import { EncryptedPersonVault, MemoryCiphertextStore, MemoryKeyStore } from '../adapters/encrypted-person-vault.js';
import { KeyRingSigner, MemoryKeyRingStore } from '../adapters/key-ring-signer.js';
import { MemoryAccountDirectory } from '../adapters/memory-account-directory.js';
import { MemoryDocumentStore } from '../adapters/memory-document-store.js';
import { MemoryEventStore } from '../adapters/memory-event-store.js';
import { MemoryIdempotencyStore } from '../adapters/memory-idempotency-store.js';
import { MemoryNotifier } from '../adapters/memory-notifier.js';
import { MemoryRateLimiter } from '../adapters/memory-rate-limiter.js';
import { MemoryReadModelStore } from '../adapters/memory-read-model-store.js';
import { MemorySignInRecords } from '../adapters/memory-sign-in-records.js';
import { MemoryScheduler } from '../adapters/memory-scheduler.js';
import { MemoryVerificationLog } from '../adapters/memory-verification-log.js';
import { MemoryAccessLog } from '../adapters/memory-access-log.js';
import { LocalWorkflows } from '../local/local-workflows.js';
import type { Clock } from '../ports/clock.js';
import { LocalChangeFeed } from '../projections/change-feed.js';
import { composeLedger, type Ledger } from './compose-ledger.js';
import { settleInProcess } from './local-ledger.js';
import { ledgerWiring } from './wiring.js';

export interface MemoryPlatformOptions {
  clock: Clock;
  /** The events on a dynalite table instead of in memory (tests of concurrent writers through the real SDK). */
  eventsTable?: { endpoint: string; table: string };
  /** Passed to the local workflow runner (failure injection, retry intervals). */
  workflowOptions?: ConstructorParameters<typeof LocalWorkflows>[2];
  rateLimit?: { limit: number; windowSeconds: number };
  logger?: Logger;
}

export interface MemoryLedger {
  ledger: Ledger;
  workflows: LocalWorkflows;
  scheduler: MemoryScheduler;
  notifier: MemoryNotifier;
  readModels: MemoryReadModelStore;
  feed: LocalChangeFeed<Commit>;
  /** Until nothing moves; throws when the feed gave up on a record (a reaction or projection kept failing). */
  settle(): Promise<void>;
}

/**
 * The same composition with every port in memory (and the workflows on the local runner over the deployed ASL):
 * for handler tests, property tests and benches that need no dynalite.
 */
export function composeMemoryLedger(options: MemoryPlatformOptions): MemoryLedger {
  const feed = new LocalChangeFeed<Commit>((commit) => ledger.onCommit(commit), { retryDelayMs: 0 });
  const store = options.eventsTable
    ? new DynamoEventStore(localDynamoClient(options.eventsTable.endpoint), options.eventsTable.table, { onCommitted: (item) => feed.publish(itemToCommit(item)) })
    : new MemoryEventStore((commit) => feed.publish(commit));
  const readModels = new MemoryReadModelStore();
  const notifier = new MemoryNotifier();
  let workflows: LocalWorkflows | undefined;
  let scheduler: MemoryScheduler | undefined;
  const ledger = composeLedger(
    {
      store,
      readModels,
      idempotency: new MemoryIdempotencyStore(),
      clock: options.clock,
      logger: options.logger ?? new Logger({ serviceName: 'certification-ledger', logLevel: 'SILENT' }),
      vault: new EncryptedPersonVault(new MemoryKeyStore(), new MemoryCiphertextStore()),
      documents: new MemoryDocumentStore(),
      exports: new MemoryDocumentStore(),
      signer: new KeyRingSigner(new MemoryKeyRingStore(), options.clock),
      rateLimiter: new MemoryRateLimiter(options.rateLimit ?? { limit: 1_000_000, windowSeconds: 60 }),
      verifications: new MemoryVerificationLog(),
      accessLog: new MemoryAccessLog(),
      notifier,
      accounts: new MemoryAccountDirectory(),
      signIns: new MemorySignInRecords(),
      publicBaseUrl: 'https://ledger.test',
      workflows: (deps) => (workflows = new LocalWorkflows(deps, workflowDefinitions, { retryIntervalMs: 0, ...options.workflowOptions })),
      scheduler: (flows) => (scheduler = new MemoryScheduler(flows, options.clock)),
    },
    ledgerWiring(),
  );
  const localWorkflows = () => (workflows ??= ledger.deps.workflows as LocalWorkflows);
  let givenUp = 0;
  return {
    ledger,
    get workflows() {
      return localWorkflows();
    },
    get scheduler() {
      return scheduler ?? (ledger.deps.scheduler as MemoryScheduler);
    },
    notifier,
    readModels,
    feed,
    async settle() {
      await settleInProcess(feed, localWorkflows());
      if (feed.failed > givenUp) {
        givenUp = feed.failed;
        throw new Error('the change feed gave up on a record: a projection or a reaction kept failing');
      }
    },
  };
}
