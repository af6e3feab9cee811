import { Logger } from '@aws-lambda-powertools/logger';
import { BatchingReadModelStore } from '../adapters/batching-read-model-store.js';
import { CachingPersonVault } from '../adapters/caching-person-vault.js';
import { CognitoAccountDirectory } from '../adapters/cognito-account-directory.js';
import { dynamoClient } from '../adapters/dynamodb-client.js';
import { DynamoEventStore } from '../adapters/dynamodb-event-store.js';
import { DynamoIdempotencyStore } from '../adapters/dynamodb-idempotency-store.js';
import { DynamoCiphertextStore } from '../adapters/dynamodb-person-vault.js';
import { DynamoRateLimiter } from '../adapters/dynamodb-rate-limiter.js';
import { DynamoReadModelStore } from '../adapters/dynamodb-read-model-store.js';
import { DynamoSignInRecords } from '../adapters/dynamodb-sign-in-records.js';
import { DynamoVerificationLog } from '../adapters/dynamodb-verification-log.js';
import { DynamoAccessLog } from '../adapters/dynamodb-access-log.js';
import { EncryptedPersonVault } from '../adapters/encrypted-person-vault.js';
import { EventBridgeScheduler } from '../adapters/eventbridge-scheduler.js';
import { KmsKeyStore } from '../adapters/kms-key-store.js';
import { KmsSigner, kmsSigningKeys } from '../adapters/kms-signer.js';
import { LeasingRateLimiter } from '../adapters/leasing-rate-limiter.js';
import { UnsentNotifier } from '../adapters/memory-notifier.js';
import { S3DocumentStore } from '../adapters/s3-document-store.js';
import { SecretsManagerOriginSecrets } from '../adapters/secrets-manager-origin-secrets.js';
import { SesNotifier } from '../adapters/ses-notifier.js';
import { SfnWorkflows } from '../adapters/sfn-workflows.js';
import { systemClock } from '../ports/clock.js';
import type { PersonVault } from '../ports/person-vault.js';
import { lazyClient } from './lazy-client.js';
import { type AwsEnvironment, parseAwsEnvironment, publicRateLimitOf, stateMachineArnVariable, WORKFLOW_NAMES, type WorkflowName } from './config.js';
import type { LedgerDeps } from '../shared/deps.js';
import { composeDeps, composeLedger, type Ledger, type LedgerWiring, type PlatformAdapters, ROUTE_WIRING } from './compose-ledger.js';

/**
 * A port this function has no grant for (infra/function-access.ts): any call fails, as AWS would answer it with
 * AccessDenied, naming the grant instead.
 */
const denied = <T>(port: string): T =>
  new Proxy({} as Record<string | symbol, unknown>, {
    get: (_, method) =>
      method === 'then' ? undefined : () => Promise.reject(new Error(`${port}.${String(method)}: this function has no grant for it (infra/function-access.ts)`)),
  }) as T;

/**
 * The ports on AWS, from the environment CDK sets (parsed and checked by `parseAwsEnvironment`).
 *
 * Each `process.env.LEDGER_BUNDLE_<PORT> !== 'denied'` is a constant in a Lambda bundle: the function's bundling
 * defines it from the grants of infra/function-access.ts (infra/constructs/ledger-functions.ts), so esbuild drops
 * the adapters, and their libraries (jose for the signer), of every service the function may not call: a route that
 * only appends carries no KMS, S3, Cognito, SES, Scheduler or Step Functions adapter (issue 15: bundles ≤ 150 KB).
 * Written out at each use rather than held in a variable, since esbuild folds only the literal comparison. Anywhere
 * else (tsx, tests) it is undefined: every adapter.
 */
export function awsAdapters(env: AwsEnvironment): PlatformAdapters {
  const logger = new Logger({ serviceName: 'certification-ledger' });
  const dynamo = dynamoClient();
  // Every function needs DynamoDB; the other services' packages are loaded by the first request that uses them.
  const s3 = lazyClient(() => import('@aws-sdk/client-s3').then((sdk) => new sdk.S3Client({})));
  const kms = lazyClient(() => import('@aws-sdk/client-kms').then((sdk) => new sdk.KMSClient({})));
  const readModels = new DynamoReadModelStore(dynamo, env.READ_MODELS_TABLE);
  const vault: PersonVault =
    process.env.LEDGER_BUNDLE_VAULT !== 'denied'
      ? new CachingPersonVault(
          new EncryptedPersonVault(new KmsKeyStore(kms, env.VAULT_KEY_ID, dynamo, env.PERSON_VAULT_TABLE), new DynamoCiphertextStore(dynamo, env.PERSON_VAULT_TABLE)),
        )
      : denied('vault');
  const stateMachineArn = (workflow: string) => {
    if (!(WORKFLOW_NAMES as readonly string[]).includes(workflow)) throw new Error(`no workflow ${workflow}`);
    return env[stateMachineArnVariable(workflow) as `${Uppercase<WorkflowName>}_STATE_MACHINE_ARN`];
  };
  return {
    store: new DynamoEventStore(dynamo, env.EVENTS_TABLE),
    readModels,
    routeReadModels: new BatchingReadModelStore(readModels, dynamo, env.READ_MODELS_TABLE),
    idempotency: new DynamoIdempotencyStore(dynamo, env.IDEMPOTENCY_TABLE),
    clock: systemClock,
    logger,
    vault,
    documents: process.env.LEDGER_BUNDLE_DOCUMENTS !== 'denied' ? new S3DocumentStore(s3, env.DOCUMENTS_BUCKET, { unlisted: true }) : denied('documents'),
    exports: process.env.LEDGER_BUNDLE_EXPORTS !== 'denied' ? new S3DocumentStore(s3, env.EXPORTS_BUCKET, { presignWith: s3.client }) : denied('exports'),
    signer: process.env.LEDGER_BUNDLE_SIGNER !== 'denied' ? new KmsSigner(kms, kmsSigningKeys(env)) : denied('signer'),
    rateLimiter:
      process.env.LEDGER_BUNDLE_RATE_LIMIT !== 'denied'
        ? new LeasingRateLimiter(new DynamoRateLimiter(dynamo, env.RATE_LIMIT_TABLE, publicRateLimitOf(env)))
        : denied('rateLimiter'),
    verifications: process.env.LEDGER_BUNDLE_VERIFICATIONS !== 'denied' ? new DynamoVerificationLog(dynamo, env.VERIFICATIONS_TABLE) : denied('verifications'),
    accessLog: process.env.LEDGER_BUNDLE_ACCESS_LOG !== 'denied' ? new DynamoAccessLog(dynamo, env.VERIFICATIONS_TABLE) : denied('accessLog'),
    notifier:
      process.env.LEDGER_BUNDLE_NOTIFIER === 'denied'
        ? denied('notifier')
        : env.SES_IDENTITY
          ? new SesNotifier(
              lazyClient(() => import('@aws-sdk/client-sesv2').then((sdk) => new sdk.SESv2Client({}))),
              vault,
              env.SES_IDENTITY,
            )
          : new UnsentNotifier(logger),
    accounts:
      process.env.LEDGER_BUNDLE_ACCOUNTS !== 'denied'
        ? new CognitoAccountDirectory(
            lazyClient(() => import('@aws-sdk/client-cognito-identity-provider').then((sdk) => new sdk.CognitoIdentityProviderClient({}))),
            env.USER_POOL_ID,
          )
        : denied('accounts'),
    // Every authenticated route reads its caller's record (functions/shared/dispatch.ts): no bundle goes without it.
    signIns: new DynamoSignInRecords(dynamo, env.SIGN_INS_TABLE),
    publicBaseUrl: env.PUBLIC_BASE_URL,
    ...(env.LEDGER_STAGE ? { stage: env.LEDGER_STAGE } : {}),
    // Only the rate-limited (public) routes believe a viewer address, so only they are granted the secret.
    ...(process.env.LEDGER_BUNDLE_ORIGIN_SECRETS !== 'denied' && env.ORIGIN_SECRET_ARN
      ? {
          originSecrets: new SecretsManagerOriginSecrets(
            lazyClient(() => import('@aws-sdk/client-secrets-manager').then((sdk) => new sdk.SecretsManagerClient({}))),
            env.ORIGIN_SECRET_ARN,
          ),
        }
      : {}),
    workflows: () =>
      process.env.LEDGER_BUNDLE_WORKFLOWS !== 'denied'
        ? new SfnWorkflows(
            lazyClient(() => import('@aws-sdk/client-sfn').then((sdk) => new sdk.SFNClient({}))),
            stateMachineArn,
          )
        : denied('workflows'),
    scheduler: (workflows) =>
      process.env.LEDGER_BUNDLE_SCHEDULER !== 'denied'
        ? new EventBridgeScheduler(
            lazyClient(() => import('@aws-sdk/client-scheduler').then((sdk) => new sdk.SchedulerClient({}))),
            {
              groupName: env.SCHEDULER_GROUP,
              roleArn: env.SCHEDULER_ROLE_ARN,
              deadLetterArn: env.SCHEDULER_DLQ_ARN,
              stateMachineArn,
              clock: systemClock,
              workflows,
            },
          )
        : denied('scheduler'),
  };
}

let ledger: Ledger | undefined;

/**
 * The ledger of this Lambda instance, composed once per cold start: the Streams consumers and the start-up Trigger
 * each with their part of the wiring (functions/composition/wiring.ts); the operator's scripts with ROUTE_WIRING.
 * Routes and workflow steps take awsDeps. A variable the stack forgot fails here, naming it, before any request is answered.
 */
export function awsLedger(wiring: LedgerWiring = ROUTE_WIRING): Ledger {
  ledger ??= composeLedger(awsAdapters(parseAwsEnvironment(process.env)), wiring);
  return ledger;
}

let deps: LedgerDeps | undefined;

/**
 * The ports of this Lambda instance for a route or a workflow step, composed once per cold start: what answers a
 * request or runs a step, without the projector, which only the Streams consumer runs and which a route's bundle
 * then does not carry (issue 15). Checked as awsLedger checks it.
 */
export function awsDeps(): LedgerDeps {
  deps ??= ledger?.deps ?? composeDeps(awsAdapters(parseAwsEnvironment(process.env)));
  return deps;
}
