import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import type { ReadModelStore } from '../ports/read-model-store.js';
import type { PersonVault } from '../ports/person-vault.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { CommandHandler } from './command-handler.js';

/** What handlers are given: ports only, wired to AWS in Lambda and to the embedded stand-ins locally. */
export interface LedgerDeps {
  store: EventStore;
  commands: CommandHandler;
  readModels: ReadModelStore;
  idempotency: IdempotencyStore;
  clock: Clock;
  vault: PersonVault;
  documents: DocumentStore;
  exports: DocumentStore;
  logger: Logger;
  /** Local runtime only: moves the virtual clock and fires due timers. Absent in AWS. */
  localClock?: { moveTo(instant: string): Promise<void> };
}
