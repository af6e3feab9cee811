import { chmodSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { webPages } from '../../web/serve.js';
import { LocalRateLimit, publicRateLimitOf } from '../composition/config.js';
import { composeLocalLedger, LOCAL_BUCKETS, LOCAL_TABLES, type LocalPlatformOptions } from '../composition/local-ledger.js';
import '../shared/polyfills.js';
import { startHttpServer } from './http-server.js';
import type { ProcNetReader } from './peer-user.js';
import { startLocalStandIns } from './stand-ins.js';
import { LocalClock, parseClockSetting } from './local-clock.js';
import { localTokenKeys, signLocalToken, explainLocalTokenRefusal, verifyLocalToken } from './local-token.js';
import { activeReadModelTable } from './read-model-table.js';
import { advanceThroughTimers } from './timer-clock.js';

export const TABLES = LOCAL_TABLES;
export const BUCKETS = LOCAL_BUCKETS;

export interface LocalLedgerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  clock?: string;
  /** Keep dynalite in memory (tests that need no restart). */
  inMemory?: boolean;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /**
   * `false` for a one-off command (functions/local/one-off-command.ts): the ledger without its HTTP server, so the
   * command opens no port but the stand-ins' guards.
   */
  serve?: boolean;
  /** Where the stand-ins' sockets go (functions/local/stand-ins.ts): a one-off command's are private. */
  sockets?: 'data-dir' | 'private';
  /** Tests only: the /proc/net/tcp tables the local controls read a peer's user from (functions/local/peer-user.ts). */
  procNet?: ProcNetReader;
  /** Tests only: failure injection in the local workflow runner. */
  workflowOptions?: LocalPlatformOptions['workflowOptions'];
}

/**
 * The whole ledger in one process: dynalite (persisted in the data dir), s3rver, the change feed and the
 * projector, the clock, and the HTTP server driven by the route manifest.
 */
export async function startLocalLedger(options: LocalLedgerOptions) {
  const { dataDir } = options;
  // Whatever this process writes (dynalite's and s3rver's files included) is its user's only: folders 0700, files 0600.
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const logger = new Logger({ serviceName: 'certification-ledger', logLevel: options.logLevel ?? 'WARN' });

  // The stand-ins serve unix sockets in a 0700 folder; clients reach them only through the SigV4 guards on loopback.
  const standIns = await startLocalStandIns({ dataDir, ...(options.inMemory ? { inMemory: true } : {}), ...(options.sockets ? { sockets: options.sockets } : {}) });
  const { dynamoEndpoint, credentials } = standIns;

  // `npm run rebuild` may have switched the read models to a fresh table (functions/local/rebuild.ts).
  const readModelTable = activeReadModelTable(dataDir, TABLES.readModels);
  const clock = new LocalClock(parseClockSetting(options.clock), dataDir);
  const local = composeLocalLedger({
    dataDir,
    dynamoEndpoint,
    dynamoSocket: standIns.dynamoSocket,
    s3Endpoint: standIns.s3Endpoint,
    standInCredentials: credentials,
    clock,
    readModelTable,
    logger,
    publicRateLimit: publicRateLimitOf(LocalRateLimit.parse(process.env)),
    publicBaseUrl: process.env.PUBLIC_BASE_URL || `http://localhost:${options.port ?? 3000}`,
    ...(options.workflowOptions ? { workflowOptions: options.workflowOptions } : {}),
  });
  const { ledger, feed, settle } = local;
  const { deps, projector } = ledger;
  if (clock.isVirtual) deps.localClock = { moveTo: (instant: string) => clock.moveTo(instant) };

  clock.setMover((target) => advanceThroughTimers(clock, local.scheduler, target, settle).then(() => undefined));
  const systemTicks = clock.isVirtual
    ? undefined
    : setInterval(
        () => void advanceThroughTimers({ now: () => clock.now(), set: () => {} }, local.scheduler, clock.now(), settle).catch((error) => logger.error('timers failed', { error })),
        15_000,
      );

  // The tables, the read models caught up on what the last run left undelivered (the change feed's journal), the referential.
  await ledger.startUp();
  await feed.drain();

  await deps.signer.publicKeys(); // the first signing key is made on the first start
  const http = options.serve === false ? undefined : await serve();
  async function serve() {
    const keys = await localTokenKeys(dataDir);
    deps.localTokens = {
      sign: (role, ledgerId, account = {}) =>
        signLocalToken(keys, role, ledgerId, { ...(account.region ? { region: account.region } : {}), ...(account.sub ? { sub: account.sub } : {}) }),
    };
    const http = await startHttpServer({
      port: options.port ?? 3000,
      host: options.host,
      deps,
      verifyClaims: (authorization) => verifyLocalToken(keys, authorization),
      explainRefusedToken: (authorization) => explainLocalTokenRefusal(keys, authorization),
      staticPages: await webPages(), // the pages of web/ (issue 6), at the paths of web/site.ts
      ...(options.procNet ? { procNet: options.procNet } : {}),
    });
    return http;
  }
  deps.publicBaseUrl = process.env.PUBLIC_BASE_URL || http?.url || deps.publicBaseUrl;
  // Once the steps have everything (the public URL printed on certificates): the executions a stop cut short
  // resume, and the reactions the in-process feed may have lost run again (each is idempotent).
  const resumed = await local.workflows.recover();
  local.redeliverPending();
  if (resumed.length) logger.warn('resumed workflow executions cut short by the last stop', { executions: resumed.map((r) => r.executionId) });

  return {
    url: http?.url ?? deps.publicBaseUrl,
    /** The address the HTTP server listens on (127.0.0.1 unless told otherwise). */
    boundAddress: (http?.server.address() as AddressInfo | undefined)?.address,
    /** The embedded dynalite's guard, for tools and benches that read its tables directly (signed with standInCredentials). */
    dynamoEndpoint,
    /** dynalite's own socket: this process's clients call it there (a bench's bare calls as the ledger's do). */
    dynamoSocket: standIns.dynamoSocket,
    /** The embedded s3rver's guard. */
    s3Endpoint: standIns.s3Endpoint,
    /** The data dir's credentials the guards check. */
    standInCredentials: credentials,
    readModelTable,
    deps,
    feed,
    projector,
    clock,
    settle,
    ledger,
    scheduler: local.scheduler,
    workflows: local.workflows,
    /** What this start's change-feed catch-up read (main.ts prints it: a start reads no history). */
    catchUp: local.catchUp(),
    notifier: local.notifier,
    async stop() {
      if (systemTicks) clearInterval(systemTicks);
      await http?.close();
      await settle();
      await feed.drain();
      await deps.verifications.flush();
      local.close();
      await standIns.close();
    },
  };
}
