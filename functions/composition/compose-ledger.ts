import type { OriginSecrets } from '../ports/origin-secrets.js';
import type { LedgerStage } from '../shared/stage.js';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Commit } from '../../events/envelope.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { EventStore } from '../ports/event-store.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import type { Notifier } from '../ports/notifier.js';
import type { PersonVault } from '../ports/person-vault.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { ReadModelStore } from '../ports/read-model-store.js';
import type { SignInRecords } from '../ports/sign-in-records.js';
import type { Scheduler } from '../ports/scheduler.js';
import type { Signer } from '../ports/signer.js';
import type { VerificationLog } from '../ports/verification-log.js';
import type { AccessLog } from '../ports/access-log.js';
import type { Workflows } from '../ports/workflows.js';
import type { Projection, ProjectionFollower } from '../projections/projection.js';
import { Projector } from '../projections/projector.js';
import type { Reaction } from '../reactions/reaction.js';
import { CommandHandler } from '../shared/command-handler.js';
import type { LedgerDeps } from '../shared/deps.js';

/** Something the ledger must have done before it answers: locally at each start, in AWS at each deploy (a Trigger). */
export interface StartUpDuty {
  readonly name: string;
  run(deps: LedgerDeps): Promise<void>;
}

/**
 * What a platform provides (AWS, the local runtime, memory for tests): every port, already wired to its
 * service. The workflow runner and the scheduler are given the ledger late, since the local ones run steps
 * with it. Every field is required: a platform that lacks a port does not compile.
 */
export interface PlatformAdapters {
  store: EventStore;
  /** What the projector writes. */
  readModels: ReadModelStore;
  /** What routes and steps read (a batching reader over DynamoDB); `readModels` by default. */
  routeReadModels?: ReadModelStore;
  idempotency: IdempotencyStore;
  clock: Clock;
  logger: Logger;
  vault: PersonVault;
  documents: DocumentStore;
  exports: DocumentStore;
  signer: Signer;
  rateLimiter: RateLimiter;
  verifications: VerificationLog;
  accessLog: AccessLog;
  notifier: Notifier;
  accounts: AccountDirectory;
  /** The sign-in records: a table of their own, never the read models' (a rebuild must not drop them). */
  signIns: SignInRecords;
  publicBaseUrl: string;
  /** @default production (unmarked) */
  stage?: LedgerStage;
  /** AWS behind CloudFront only. */
  originSecrets?: OriginSecrets;
  workflows: (ledger: () => LedgerDeps) => Workflows;
  scheduler: (workflows: () => Workflows) => Scheduler;
  /** The platform's own duties, run before the ledger's (locally: the tables). */
  startUpDuties?: readonly StartUpDuty[];
}

/**
 * What the ledger does beside answering: the read models it projects, the reactions to each commit, the duties
 * at start (functions/composition/wiring.ts has the ledger's own). A route's Lambda neither projects nor reacts nor
 * starts up (the Streams consumers and the deploy-time Trigger do), so it is composed without them and its bundle
 * carries none of them.
 */
export interface LedgerWiring {
  projections: readonly Projection[];
  /** Aggregates kept after the documents (the statistics' rollups). */
  followers?: readonly ProjectionFollower[];
  reactions: readonly Reaction[];
  startUpDuties: readonly StartUpDuty[];
}

/** A route's wiring: it answers requests, nothing more. */
export const ROUTE_WIRING: LedgerWiring = { projections: [], reactions: [], startUpDuties: [] };

export interface Ledger {
  deps: LedgerDeps;
  projector: Projector;
  reactions: readonly Reaction[];
  /** The read models (the projector's consumer of the change feed). */
  project(commit: Commit): Promise<void>;
  /** Every reaction to a commit; each runs even if another fails, then the failures are thrown together (retried). */
  react(commit: Commit): Promise<void>;
  /** The in-process change feed's handler: the read models, then the reactions. */
  onCommit(commit: Commit): Promise<void>;
  startUpDuties: readonly StartUpDuty[];
  /** Runs every start-up duty in order. */
  startUp(): Promise<void>;
}

/**
 * The ports as a route or a workflow step uses them: one command handler over the platform's adapters. What a
 * route's Lambda needs, and all it carries (awsDeps): the projector, the reactions and the duties are composeLedger's.
 */
export function composeDeps(platform: PlatformAdapters): LedgerDeps {
  const { store } = platform;
  let workflows: Workflows | undefined;
  let scheduler: Scheduler | undefined;
  const deps: LedgerDeps = {
    store,
    commands: new CommandHandler(store),
    readModels: platform.routeReadModels ?? platform.readModels,
    idempotency: platform.idempotency,
    clock: platform.clock,
    logger: platform.logger,
    vault: platform.vault,
    documents: platform.documents,
    exports: platform.exports,
    signer: platform.signer,
    rateLimiter: platform.rateLimiter,
    verifications: platform.verifications,
    accessLog: platform.accessLog,
    notifier: platform.notifier,
    accounts: platform.accounts,
    signIns: platform.signIns,
    publicBaseUrl: platform.publicBaseUrl,
    ...(platform.stage ? { stage: platform.stage } : {}),
    ...(platform.originSecrets ? { originSecrets: platform.originSecrets } : {}),
    // Made on first use: the local runner and timers run their steps with this very ledger.
    get workflows() {
      return (workflows ??= platform.workflows(() => deps));
    },
    get scheduler() {
      return (scheduler ??= platform.scheduler(() => deps.workflows));
    },
  };
  return deps;
}

/**
 * The one composition of the ledger: Lambda handlers, the local runtime, the twin and the tests all build it here
 * from their platform's adapters, with the same command handler, projector, reactions and start-up duties.
 */
export function composeLedger(platform: PlatformAdapters, wiring: LedgerWiring): Ledger {
  const deps = composeDeps(platform);
  const projector = new Projector(platform.store, platform.readModels, wiring.projections, wiring.followers);

  const react = async (commit: Commit) => {
    const failures: unknown[] = [];
    for (const reaction of wiring.reactions) {
      if (!reaction.applies(commit)) continue;
      try {
        await reaction.react(deps, commit);
      } catch (error) {
        deps.logger.error('reaction failed; the record is delivered again', { reaction: reaction.name, stream: commit.stream, version: commit.version, error: error as Error });
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length) throw new AggregateError(failures, `${failures.length} reactions failed on ${commit.stream}@${commit.version}`);
  };
  const project = (commit: Commit) => projector.apply(commit);
  const onCommit = async (commit: Commit) => {
    await project(commit);
    await react(commit);
  };

  const startUpDuties: StartUpDuty[] = [...(platform.startUpDuties ?? []), ...wiring.startUpDuties];
  return {
    deps,
    projector,
    reactions: wiring.reactions,
    project,
    react,
    onCommit,
    startUpDuties,
    async startUp() {
      for (const duty of startUpDuties) {
        deps.logger.debug('start-up duty', { duty: duty.name });
        await duty.run(deps);
      }
    },
  };
}
