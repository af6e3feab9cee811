import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { localDynamoClient } from '../adapters/dynamodb-client.js';
import { DynamoEventStore, ensureEventsTable } from '../adapters/dynamodb-event-store.js';
import { DynamoIdempotencyStore } from '../adapters/dynamodb-idempotency-store.js';
import { DynamoReadModelStore, ensureKeyValueTable } from '../adapters/dynamodb-read-model-store.js';
import { localS3Client, S3DocumentStore } from '../adapters/s3-document-store.js';
import { commitOfRecord, LocalChangeFeed } from '../projections/change-feed.js';
import { Projector } from '../projections/projector.js';
import { projections } from '../projections/index.js';
import { loadReferential } from '../referential/load-referential.js';
import { CommandHandler } from '../shared/command-handler.js';
import type { LedgerDeps } from '../shared/deps.js';
import '../shared/polyfills.js';
import { startHttpServer } from './http-server.js';
import { activeReadModelTable } from './read-model-table.js';
import { LocalWorkflows } from './local-workflows.js';
import { LocalScheduler } from '../adapters/local-scheduler.js';
import { advanceThroughTimers } from './timer-clock.js';
import { startCapitalisation, triggersCapitalisation } from '../reactions/capitalisation-trigger.js';
import { DynamoExecutionJournal } from './execution-journal.js';
import type { Commit } from '../../events/envelope.js';
import { compensateAnnulment } from '../reactions/decision-annulment.js';
import { workflows as workflowDefinitions } from '../../infra/workflows/index.js';
import { LocalClock, parseClockSetting } from './local-clock.js';
import { localTokenKeys, signLocalToken, verifyLocalToken } from './local-token.js';
import { webPages } from '../../web/serve.js';
import { localMasterKey } from './local-master-key.js';
import { EncryptedPersonVault } from '../adapters/encrypted-person-vault.js';
import { DynamoCiphertextStore, WrappedKeyStore } from '../adapters/dynamodb-person-vault.js';
import { CachingPersonVault } from '../adapters/caching-person-vault.js';
import { LeasingRateLimiter } from '../adapters/leasing-rate-limiter.js';
import { BatchingReadModelStore } from '../adapters/batching-read-model-store.js';
import { DynamoRateLimiter } from '../adapters/dynamodb-rate-limiter.js';
import { DynamoVerificationLog } from '../adapters/dynamodb-verification-log.js';
import { FileKeyRingStore, KeyRingSigner } from '../adapters/key-ring-signer.js';
import { publicRateLimit } from '../certificates/certificate-facts.js';
import { LocalAccountDirectory } from '../adapters/local-account-directory.js';

export const TABLES = { events: 'ledger-events', readModels: 'ledger-read-models', idempotency: 'ledger-idempotency', vault: 'ledger-person-vault', timers: 'ledger-timers', rateLimit: 'ledger-rate-limit', verifications: 'ledger-verifications', workflows: 'ledger-workflow-executions', accounts: 'ledger-accounts' } as const;
export const BUCKETS = { documents: 'ledger-documents', exports: 'ledger-exports' } as const;

export interface LocalLedgerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  clock?: string;
  /** Keep dynalite in memory (tests that need no restart). */
  inMemory?: boolean;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
}

/**
 * The whole ledger in one process: dynalite (persisted in the data dir), s3rver, the change feed and the
 * projector, the clock, and the HTTP server driven by the route manifest.
 */
export async function startLocalLedger(options: LocalLedgerOptions) {
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const logger = new Logger({ serviceName: 'certification-ledger', logLevel: options.logLevel ?? 'WARN' });

  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.inMemory ? {} : { path: join(dataDir, 'dynamodb') }) });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
  const dynamoEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  const dynamoClient = localDynamoClient(dynamoEndpoint);
  await ensureEventsTable(dynamoClient, TABLES.events);
  // `npm run rebuild` may have switched the read models to a fresh table (functions/local/rebuild.ts).
  const readModelTable = activeReadModelTable(dataDir, TABLES.readModels);
  await ensureKeyValueTable(dynamoClient, readModelTable);
  await ensureKeyValueTable(dynamoClient, TABLES.idempotency, false);
  await ensureKeyValueTable(dynamoClient, TABLES.vault, false);
  await ensureKeyValueTable(dynamoClient, TABLES.timers);
  await ensureKeyValueTable(dynamoClient, TABLES.rateLimit, false);
  await ensureKeyValueTable(dynamoClient, TABLES.verifications);
  await ensureKeyValueTable(dynamoClient, TABLES.workflows, false);
  await ensureKeyValueTable(dynamoClient, TABLES.accounts, false);

  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(dataDir, 's3'),
    configureBuckets: Object.values(BUCKETS).map((name) => ({ name })),
  });
  const s3Address = await s3.run();
  const s3Client = localS3Client(`http://127.0.0.1:${s3Address.port}`);

  const readModels = new DynamoReadModelStore(dynamoClient, readModelTable);
  let projector: Projector | undefined;
  let workflows: LocalWorkflows | undefined;
  const feed = new LocalChangeFeed(
    async (record) => {
      const commit = commitOfRecord(record);
      if (!commit) return;
      await projector!.apply(commit);
      await startCapitalisation(workflows!, commit);
      await compensateAnnulment(deps, commit);
    },
    (error) => logger.error('projection failed; the next commit of the stream fills the gap', { error: error as Error }),
  );
  const store = new DynamoEventStore(dynamoClient, TABLES.events, { onCommitted: (item) => feed.publish(item) });
  projector = new Projector(store, readModels, projections);

  const clock = new LocalClock(parseClockSetting(options.clock), dataDir);
  const commands = new CommandHandler(store);
  // Each execution is recorded in dynalite before it runs: a restart resumes those a crash cut short.
  workflows = new LocalWorkflows(() => deps, workflowDefinitions, { journal: new DynamoExecutionJournal(dynamoClient, TABLES.workflows) });
  const scheduler = new LocalScheduler(dynamoClient, TABLES.timers, () => workflows!);
  const deps: LedgerDeps = {
    store,
    commands,
    // Routes read through a group reader (GET /verify under load: one BatchGetItem for the reads in flight).
    readModels: new BatchingReadModelStore(readModels, dynamoClient, readModelTable),
    idempotency: new DynamoIdempotencyStore(dynamoClient, TABLES.idempotency),
    clock,
    logger,
    vault: new CachingPersonVault(new EncryptedPersonVault(new WrappedKeyStore(dynamoClient, TABLES.vault, localMasterKey(dataDir)), new DynamoCiphertextStore(dynamoClient, TABLES.vault))),
    documents: new S3DocumentStore(s3Client, BUCKETS.documents),
    exports: new S3DocumentStore(s3Client, BUCKETS.exports),
    workflows,
    scheduler,
    accounts: new LocalAccountDirectory(dynamoClient, TABLES.accounts),
    signer: new KeyRingSigner(new FileKeyRingStore(join(dataDir, 'signing-keys')), clock),
    rateLimiter: new LeasingRateLimiter(new DynamoRateLimiter(dynamoClient, TABLES.rateLimit, publicRateLimit())),
    verifications: new DynamoVerificationLog(dynamoClient, TABLES.verifications),
    ...(clock.isVirtual ? { localClock: { moveTo: (instant: string) => clock.moveTo(instant) } } : {}),
  };

  // Until nothing moves: the feed projects and starts workflows, whose steps append more.
  const settle = async () => {
    do {
      await feed.drain();
      await workflows!.drain();
    } while (feed.pending || workflows!.running);
  };
  clock.setMover((target) => advanceThroughTimers(clock, scheduler, target, settle).then(() => undefined));
  const systemTicks = clock.isVirtual
    ? undefined
    : setInterval(() => void advanceThroughTimers({ now: () => clock.now(), set: () => {} }, scheduler, clock.now(), settle).catch((error) => logger.error('timers failed', { error })), 15_000);

  // Catch up read models on whatever an earlier run committed but did not project (a crash), then the referential.
  // The in-process feed may also have lost reactions: every commit that starts a capitalisation is started again
  // once the server is up (execution names are per commit, so those that already ran start nothing).
  const reactions: Commit[] = [];
  await projector.replayAll((commit) => {
    if (triggersCapitalisation(commit)) reactions.push(commit);
  });
  await loadReferential(commands, clock);
  await feed.drain();

  await deps.signer!.publicKeys(); // the first signing key is made on the first start
  const keys = await localTokenKeys(dataDir);
  deps.localTokens = { sign: (role, ledgerId, region) => signLocalToken(keys, role, ledgerId, region ? { region } : {}) };
  const http = await startHttpServer({
    port: options.port ?? 3000,
    host: options.host,
    deps,
    verifyClaims: (authorization) => verifyLocalToken(keys, authorization),
    staticPages: await webPages(), // the pages of web/ (issue 6), at the paths of web/site.ts
  });
  deps.publicBaseUrl = process.env.PUBLIC_BASE_URL || http.url;
  // Workflows resume once their steps have everything (the public URL printed on certificates).
  const resumed = await workflows.recover();
  for (const commit of reactions) await startCapitalisation(workflows, commit);
  if (resumed.length) logger.warn('resumed workflow executions cut short by the last stop', { executions: resumed.map((r) => r.executionId) });

  return {
    url: http.url,
    /** The embedded dynalite, for tools and benches that read its tables directly (loopback only). */
    dynamoEndpoint,
    readModelTable,
    deps,
    feed,
    projector,
    clock,
    settle,
    scheduler,
    workflows,
    async stop() {
      if (systemTicks) clearInterval(systemTicks);
      await http.close();
      await settle();
      await feed.drain();
      await deps.verifications?.flush();
      dynamoClient.destroy();
      s3Client.destroy();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
      await s3.close();
    },
  };
}
