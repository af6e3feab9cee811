import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import type { ReadModelStore } from '../ports/read-model-store.js';
import type { PersonVault } from '../ports/person-vault.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { Notifier } from '../ports/notifier.js';
import type { Workflows } from '../ports/workflows.js';
import type { Scheduler } from '../ports/scheduler.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { Signer } from '../ports/signer.js';
import type { VerificationLog } from '../ports/verification-log.js';
import type { AccessLog } from '../ports/access-log.js';
import type { AccountDirectory } from '../ports/account-directory.js';
import type { SignInRecords } from '../ports/sign-in-records.js';
import type { CommandHandler } from './command-handler.js';
import type { Role } from './auth.js';
import type { LedgerStage } from './stage.js';
import type { OriginSecrets } from '../ports/origin-secrets.js';

/** What handlers are given: ports only, built by functions/composition/ for AWS, the local runtime and the tests. */
export interface LedgerDeps {
  store: EventStore;
  commands: CommandHandler;
  readModels: ReadModelStore;
  idempotency: IdempotencyStore;
  clock: Clock;
  vault: PersonVault;
  documents: DocumentStore;
  exports: DocumentStore;
  workflows: Workflows;
  scheduler: Scheduler;
  /** The accounts that sign in, each linked to a ledger id (Cognito in AWS). */
  accounts: AccountDirectory;
  /** Each ledger id's sign-in record: the tokens the ledger refuses (functions/accounts/sign-ins.ts), in a table no rebuild replaces. */
  signIns: SignInRecords;
  /** Sends each CandidateNotified (the outbox): email through SES in AWS, recorded in memory locally. */
  notifier: Notifier;
  /** Signs the certificates' credentials; its keys are the JWKS. */
  signer: Signer;
  /** Counts public verification requests per client address, across instances. */
  rateLimiter: RateLimiter;
  /** Every verification answered, for the certificate's holder. */
  verifications: VerificationLog;
  /** Who read a person's data, when and why (GET /candidates/{candidateId}/access-log). */
  accessLog: AccessLog;
  /** The public base URL of the verification pages, printed on certificates (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** A development stage marks what it issues as a specimen (LEDGER_STAGE). @default production */
  stage?: LedgerStage;
  /** Behind CloudFront: the origin secret that makes its CloudFront-Viewer-Address trusted (AWS only). */
  originSecrets?: OriginSecrets;
  logger: Logger;
  /** Local runtime only: moves the virtual clock and fires due timers. Absent in AWS. */
  localClock?: { moveTo(instant: string): Promise<void> };
  /** Local runtime only: signs tokens the local server accepts (POST /_local/tokens, the sign-in page). Absent in AWS. */
  localTokens?: { sign(role: Role, ledgerId: string, account?: { region?: string | undefined; sub?: string }): Promise<string> };
}
