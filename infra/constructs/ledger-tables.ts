import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** The TTL attribute (epoch seconds) of the idempotency and rate-limiter tables. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * The DynamoDB tables, all on-demand and encrypted with the AWS managed key (aws/dynamodb):
 * - events: the ledger (DESIGN.md §3 "Event store"): pk = stream id, sk = first version of the commit;
 *   its stream (NEW_IMAGE) is the change feed; point-in-time recovery and deletion protection on.
 * - readModels: projections, pk = model, sk = key. Rebuildable from the ledger, still backed up. Two tables, blue
 *   and green (README, "Rebuilding the read models"): `readModels` is the one the functions serve from (context
 *   `ledger:readModels`), the other is where the rebuild's state machine writes.
 * - idempotency: Idempotency-Key claims and stored responses, expiring (TTL `expiresAt`).
 * - personVault: personal data, encrypted per person (envelope encryption under the vault key), pk = `data#…`/`key#…`.
 * - rateLimit: rate-limiter counters (public verification), expiring (TTL `expiresAt`).
 * - verifications: one item per answered verification (pk = certificate code, sk = `<at>#<requestId>`), shown
 *   to the holder, expiring after a year (TTL `expiresAt`); kept apart from the ledger so the hot path never contends.
 * - signIns: each ledger id's sign-in record (pk = the ledger id; functions/accounts/sign-ins.ts), the tokens the
 *   ledger refuses. Not derived from events, so not a read model: no rebuild replaces it (README, "Rebuilding the
 *   read models"). Kept like the ledger: losing it would let a disabled account's tokens pass again.
 */
/** How long an erased person's key can still be restored from the vault's continuous backups (AWS). */
export const VAULT_BACKUP_DAYS = 7;

/** The two read-model tables: the functions serve from one, a rebuild writes the other. */
export type ReadModelColour = 'blue' | 'green';

export interface LedgerTablesProps {
  /** The read-model table the functions serve from. @default 'blue' */
  activeReadModels?: ReadModelColour;
}

export class LedgerTables extends Construct {
  readonly events: dynamodb.TableV2;
  /** The read-model table the functions serve from (one of `readModelTables`). */
  readonly readModels: dynamodb.TableV2;
  readonly readModelTables: Record<ReadModelColour, dynamodb.TableV2>;
  readonly activeReadModels: ReadModelColour;
  readonly idempotency: dynamodb.TableV2;
  readonly personVault: dynamodb.TableV2;
  readonly rateLimit: dynamodb.TableV2;
  readonly verifications: dynamodb.TableV2;
  readonly signIns: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: LedgerTablesProps = {}) {
    super(scope, id);
    const base = {
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    } satisfies Partial<dynamodb.TablePropsV2>;
    const kept = {
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    } satisfies Partial<dynamodb.TablePropsV2>;
    const expiring = { timeToLiveAttribute: TTL_ATTRIBUTE, removalPolicy: RemovalPolicy.DESTROY } satisfies Partial<dynamodb.TablePropsV2>;

    this.events = new dynamodb.TableV2(this, 'Events', {
      ...base,
      ...kept,
      sortKey: { name: 'sk', type: dynamodb.AttributeType.NUMBER },
      dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    const readModelTable = (constructId: string) =>
      new dynamodb.TableV2(this, constructId, {
        ...base,
        ...kept,
        sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      });
    // Blue keeps the table's first construct id, so existing stacks keep their table.
    this.readModelTables = { blue: readModelTable('ReadModels'), green: readModelTable('ReadModelsGreen') };
    this.activeReadModels = props.activeReadModels ?? 'blue';
    this.readModels = this.readModelTables[this.activeReadModels];
    // An erased person's wrapped key survives in the table's continuous backups as long as they are kept: the
    // shortest window that still covers an operator's mistake (README, "Privacy"), instead of the default 35 days.
    this.personVault = new dynamodb.TableV2(this, 'PersonVault', {
      ...base,
      ...kept,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: VAULT_BACKUP_DAYS },
    });
    this.idempotency = new dynamodb.TableV2(this, 'Idempotency', { ...base, ...expiring });
    this.rateLimit = new dynamodb.TableV2(this, 'RateLimit', { ...base, ...expiring });
    this.verifications = new dynamodb.TableV2(this, 'Verifications', {
      ...base,
      ...kept,
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TTL_ATTRIBUTE,
    });
    this.signIns = new dynamodb.TableV2(this, 'SignIns', { ...base, ...kept });
  }
}
