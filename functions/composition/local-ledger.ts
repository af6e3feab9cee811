import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBRecord } from 'aws-lambda';
import { workflows as workflowDefinitions } from '../../infra/workflows/index.js';
import { BatchingReadModelStore } from '../adapters/batching-read-model-store.js';
import { CachingPersonVault } from '../adapters/caching-person-vault.js';
import { localDynamoClient } from '../adapters/dynamodb-client.js';
import { commitToItem, DynamoEventStore, ensureEventsTable } from '../adapters/dynamodb-event-store.js';
import { DynamoIdempotencyStore } from '../adapters/dynamodb-idempotency-store.js';
import { DynamoCiphertextStore, WrappedKeyStore } from '../adapters/dynamodb-person-vault.js';
import { DynamoRateLimiter } from '../adapters/dynamodb-rate-limiter.js';
import { DynamoReadModelStore, ensureKeyValueTable } from '../adapters/dynamodb-read-model-store.js';
import { DynamoSignInRecords } from '../adapters/dynamodb-sign-in-records.js';
import { DynamoVerificationLog } from '../adapters/dynamodb-verification-log.js';
import { DynamoAccessLog } from '../adapters/dynamodb-access-log.js';
import { EncryptedPersonVault } from '../adapters/encrypted-person-vault.js';
import { FileKeyStore } from '../adapters/file-key-store.js';
import { FileKeyRingStore, KeyRingSigner } from '../adapters/key-ring-signer.js';
import { LeasingRateLimiter } from '../adapters/leasing-rate-limiter.js';
import { LocalAccountDirectory } from '../adapters/local-account-directory.js';
import { LocalScheduler } from '../adapters/local-scheduler.js';
import { MemoryNotifier } from '../adapters/memory-notifier.js';
import { localS3Client } from '../adapters/local-s3-client.js';
import { S3DocumentStore } from '../adapters/s3-document-store.js';
import { ChangeFeedJournal } from '../local/change-feed-journal.js';
import { DynamoExecutionJournal } from '../local/execution-journal.js';
import type { LocalClock } from '../local/local-clock.js';
import { localMasterKey } from '../local/local-master-key.js';
import { LocalWorkflows } from '../local/local-workflows.js';
import { commitOfRecord, LocalChangeFeed, recordOfItem } from '../projections/change-feed.js';
import type { Commit } from '../../events/envelope.js';
import { composeLedger, type Ledger } from './compose-ledger.js';
import { ledgerWiring } from './wiring.js';

export const LOCAL_TABLES = {
  events: 'ledger-events',
  readModels: 'ledger-read-models',
  idempotency: 'ledger-idempotency',
  vault: 'ledger-person-vault',
  timers: 'ledger-timers',
  rateLimit: 'ledger-rate-limit',
  verifications: 'ledger-verifications',
  workflows: 'ledger-workflow-executions',
  accounts: 'ledger-accounts',
  /** Each ledger id's sign-in record: not a read model, so `npm run rebuild` never replaces it. */
  signIns: 'ledger-sign-ins',
} as const;
export const LOCAL_BUCKETS = { documents: 'ledger-documents', exports: 'ledger-exports' } as const;

export interface LocalPlatformOptions {
  dataDir: string;
  /** The embedded dynalite and s3rver, behind their SigV4 guards (functions/local/stand-in-guard.ts). */
  dynamoEndpoint: string;
  /** dynalite's socket, when this process embeds it: its own calls go there directly, not through the guard. */
  dynamoSocket?: string;
  s3Endpoint: string;
  /** The data dir's credentials the guards check. */
  standInCredentials: { accessKeyId: string; secretAccessKey: string };
  clock: LocalClock;
  /** The read-model table in use (`npm run rebuild` may have switched to a fresh one). */
  readModelTable: string;
  logger: Logger;
  publicRateLimit: { limit: number; windowSeconds: number };
  /** Until the HTTP server listens (port 0), where the verification pages will be. */
  publicBaseUrl: string;
  /** Passed to the local workflow runner (tests inject failures). */
  workflowOptions?: Pick<NonNullable<ConstructorParameters<typeof LocalWorkflows>[2]>, 'interceptStart' | 'interceptTask' | 'onTransition'>;
}

export interface LocalLedger {
  ledger: Ledger;
  feed: LocalChangeFeed<DynamoDBRecord>;
  workflows: LocalWorkflows;
  scheduler: LocalScheduler;
  notifier: MemoryNotifier;
  /** Until nothing moves: the feed projects and reacts, the workflows' steps append more. */
  settle(): Promise<void>;
  /** The commits a reaction concerns, found by the catch-up at start: run again once the runtime listens. */
  reactionsToReplay(): readonly Commit[];
  /** Hands the commits of `reactionsToReplay` to the feed again, each under its journal's sequence number. */
  redeliverPending(): void;
  /** Hands a commit to the feed again, as a redelivered Streams record. */
  redeliver(commit: Commit): void;
  /**
   * What the last start's catch-up read: from the feed's checkpoint, only the commits written but not delivered when
   * the last run stopped (none after a clean stop); without one (a data dir from before the checkpoint), the whole table once.
   */
  catchUp(): { from: 'checkpoint' | 'whole-table'; commits: number };
  close(): void;
}

/** Until nothing moves in this process: the feed projects and reacts, the workflows' steps append more. */
export async function settleInProcess(feed: Pick<LocalChangeFeed<unknown>, 'drain' | 'pending'>, workflows: Pick<LocalWorkflows, 'drain' | 'running'>) {
  do {
    await feed.drain();
    await workflows.drain();
  } while (feed.pending || workflows.running);
}

/**
 * `npm start`'s ledger: the same composition as in AWS, over dynalite and s3rver through the real SDK, the
 * in-process change feed (the record shape DynamoDB Streams delivers), aws-local-stepfunctions running the ASL
 * the stack deploys, timers in dynalite, signing keys and the vault's master key in the data dir.
 */
export function composeLocalLedger(options: LocalPlatformOptions): LocalLedger {
  const dynamo = localDynamoClient(options.dynamoEndpoint, options.standInCredentials, options.dynamoSocket);
  const s3 = localS3Client(options.s3Endpoint, options.standInCredentials);
  // Where the feed resumes after a stop or a crash (functions/local/change-feed-journal.ts): start reads what it had
  // not delivered, never the whole ledger.
  const journal = new ChangeFeedJournal(options.dataDir);
  const feed = new LocalChangeFeed<DynamoDBRecord>(
    async (record) => {
      const commit = commitOfRecord(record);
      if (commit) await ledger.onCommit(commit);
      journal.resolve(Number(record.eventID));
    },
    { onError: (error, attempt) => options.logger.warn('change-feed record failed', { attempt, error: error as Error }) },
  );
  const store = new DynamoEventStore(dynamo, LOCAL_TABLES.events, {
    onAppending: (commit) => {
      const seq = journal.intend(commit);
      return { committed: (item) => feed.publish(recordOfItem(item, seq)), abandoned: () => journal.resolve(seq) };
    },
  });
  const readModels = new DynamoReadModelStore(dynamo, options.readModelTable);
  const notifier = new MemoryNotifier();
  let workflows: LocalWorkflows | undefined;
  let scheduler: LocalScheduler | undefined;
  const toReplay: { commit: Commit; seq: number }[] = [];
  const caughtUp: { from: 'checkpoint' | 'whole-table'; commits: number } = { from: 'checkpoint', commits: 0 };
  const ledger = composeLedger(
    {
      store,
      readModels,
      routeReadModels: new BatchingReadModelStore(readModels, dynamo, options.readModelTable),
      idempotency: new DynamoIdempotencyStore(dynamo, LOCAL_TABLES.idempotency),
      clock: options.clock,
      logger: options.logger,
      vault: new CachingPersonVault(
        new EncryptedPersonVault(
          new FileKeyStore(join(options.dataDir, 'vault-keys'), localMasterKey(options.dataDir), new WrappedKeyStore(dynamo, LOCAL_TABLES.vault, localMasterKey(options.dataDir))),
          new DynamoCiphertextStore(dynamo, LOCAL_TABLES.vault),
        ),
      ),
      documents: new S3DocumentStore(s3, LOCAL_BUCKETS.documents),
      exports: new S3DocumentStore(s3, LOCAL_BUCKETS.exports),
      signer: new KeyRingSigner(new FileKeyRingStore(join(options.dataDir, 'signing-keys')), options.clock),
      rateLimiter: new LeasingRateLimiter(new DynamoRateLimiter(dynamo, LOCAL_TABLES.rateLimit, options.publicRateLimit)),
      verifications: new DynamoVerificationLog(dynamo, LOCAL_TABLES.verifications),
      accessLog: new DynamoAccessLog(dynamo, LOCAL_TABLES.verifications),
      notifier,
      accounts: new LocalAccountDirectory(dynamo, LOCAL_TABLES.accounts),
      signIns: new DynamoSignInRecords(dynamo, LOCAL_TABLES.signIns),
      publicBaseUrl: options.publicBaseUrl,
      // Each execution is recorded in dynalite before it runs: a restart resumes those a crash cut short.
      workflows: (deps) =>
        (workflows = new LocalWorkflows(deps, workflowDefinitions, { ...options.workflowOptions, journal: new DynamoExecutionJournal(dynamo, LOCAL_TABLES.workflows) })),
      scheduler: (flows) => (scheduler = new LocalScheduler(dynamo, LOCAL_TABLES.timers, flows, options.clock)),
      startUpDuties: [
        {
          name: 'tables',
          async run() {
            await ensureEventsTable(dynamo, LOCAL_TABLES.events);
            await ensureKeyValueTable(dynamo, options.readModelTable);
            for (const table of [LOCAL_TABLES.idempotency, LOCAL_TABLES.vault, LOCAL_TABLES.rateLimit, LOCAL_TABLES.workflows, LOCAL_TABLES.accounts, LOCAL_TABLES.signIns])
              await ensureKeyValueTable(dynamo, table, false);
            for (const table of [LOCAL_TABLES.timers, LOCAL_TABLES.verifications]) await ensureKeyValueTable(dynamo, table);
          },
        },
        // What an earlier run committed but did not deliver (a crash) is projected now, from the journal's intents
        // above its checkpoint; their reactions run again once the runtime listens (each is idempotent). A data dir
        // from before the journal is caught up once from the whole table.
        {
          name: 'change-feed catch-up',
          run: async () => {
            toReplay.length = 0;
            Object.assign(caughtUp, { from: journal.hasCheckpoint ? 'checkpoint' : 'whole-table', commits: 0 });
            if (!journal.hasCheckpoint) {
              await ledger.projector.replayAll((commit) => {
                caughtUp.commits++;
                if (ledger.reactions.some((r) => r.applies(commit))) toReplay.push({ commit, seq: journal.intend(commit) });
              });
              journal.persist();
              return;
            }
            for (const intent of journal.pending()) {
              const { commits } = await store.read(intent.stream, intent.version);
              const commit = commits.find((c) => c.version === intent.version && c.commandId === intent.commandId);
              journal.carry(intent.seq);
              if (!commit) {
                journal.resolve(intent.seq); // never written: its PutItem collided or was never sent
                continue;
              }
              caughtUp.commits++;
              await ledger.project(commit);
              if (ledger.reactions.some((r) => r.applies(commit))) toReplay.push({ commit, seq: intent.seq });
              else journal.resolve(intent.seq);
            }
          },
        },
      ],
    },
    ledgerWiring(),
  );
  const localWorkflows = () => (workflows ??= ledger.deps.workflows as LocalWorkflows);
  const settle = () => settleInProcess(feed, localWorkflows());
  return {
    ledger,
    feed,
    get workflows() {
      return localWorkflows();
    },
    get scheduler() {
      return scheduler ?? (ledger.deps.scheduler as LocalScheduler);
    },
    notifier,
    settle,
    reactionsToReplay: () => toReplay.map(({ commit }) => commit),
    catchUp: () => ({ ...caughtUp }),
    redeliverPending: () => {
      for (const { commit, seq } of toReplay) feed.publish(recordOfItem(commitToItem(commit), seq));
    },
    redeliver: (commit) => {
      const seq = journal.intend(commit);
      feed.publish(recordOfItem(commitToItem(commit), seq));
    },
    close() {
      journal.close();
      dynamo.destroy();
      s3.destroy();
    },
  };
}
