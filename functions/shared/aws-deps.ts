import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesNotifier } from '../adapters/ses-notifier.js';
import { CognitoAccountDirectory } from '../adapters/cognito-account-directory.js';
import { EventBridgeScheduler } from '../adapters/eventbridge-scheduler.js';
import { SfnWorkflows } from '../adapters/sfn-workflows.js';
import { DynamoCiphertextStore } from '../adapters/dynamodb-person-vault.js';
import { EncryptedPersonVault } from '../adapters/encrypted-person-vault.js';
import { KmsKeyStore } from '../adapters/kms-key-store.js';
import { S3DocumentStore } from '../adapters/s3-document-store.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoEventStore } from '../adapters/dynamodb-event-store.js';
import { DynamoIdempotencyStore } from '../adapters/dynamodb-idempotency-store.js';
import { DynamoReadModelStore } from '../adapters/dynamodb-read-model-store.js';
import { systemClock } from '../ports/clock.js';
import { CommandHandler } from './command-handler.js';
import type { LedgerDeps } from './deps.js';
import { LeasingRateLimiter } from '../adapters/leasing-rate-limiter.js';
import { DynamoRateLimiter } from '../adapters/dynamodb-rate-limiter.js';
import { DynamoVerificationLog } from '../adapters/dynamodb-verification-log.js';
import { KmsSigner, kmsSigningKeys } from '../adapters/kms-signer.js';
import { publicRateLimit } from '../certificates/certificate-facts.js';

let deps: LedgerDeps | undefined;

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
};

/** Settings the stack sets only when configured (an SES identity to send email from). */
const optionalEnv = (name: string): string | undefined => process.env[name] || undefined;

/** `<NAME>_STATE_MACHINE_ARN`, as infra/workflows/workflow.ts names it. */
const stateMachineArn = (workflow: string) => env(`${workflow.replace(/-/g, '_').toUpperCase()}_STATE_MACHINE_ARN`);

/** The ports wired to AWS, from the table and bucket names CDK puts in the environment. Once per cold start. */
export function awsDeps(): LedgerDeps {
  if (deps) return deps;
  const dynamo = new DynamoDBClient({});
  const store = new DynamoEventStore(dynamo, env('EVENTS_TABLE'));
  const s3 = new S3Client({});
  const vaultTable = env('PERSON_VAULT_TABLE');
  const vault = new EncryptedPersonVault(new KmsKeyStore(new KMSClient({}), env('VAULT_KEY_ID'), dynamo, vaultTable), new DynamoCiphertextStore(dynamo, vaultTable));
  const built: LedgerDeps = {
    store,
    commands: new CommandHandler(store),
    readModels: new DynamoReadModelStore(dynamo, env('READ_MODELS_TABLE')),
    idempotency: new DynamoIdempotencyStore(dynamo, env('IDEMPOTENCY_TABLE')),
    clock: systemClock,
    logger: new Logger({ serviceName: 'certification-ledger' }),
    vault,
    documents: new S3DocumentStore(s3, env('DOCUMENTS_BUCKET')),
    exports: new S3DocumentStore(s3, env('EXPORTS_BUCKET')),
    workflows: new SfnWorkflows(new SFNClient({}), stateMachineArn),
    accounts: new CognitoAccountDirectory(new CognitoIdentityProviderClient({}), env('USER_POOL_ID')),
    scheduler: new EventBridgeScheduler(new SchedulerClient({}), { groupName: env('SCHEDULER_GROUP'), roleArn: env('SCHEDULER_ROLE_ARN'), stateMachineArn }),
    // Certificates: KMS signing key(s), the rate-limit and verifications tables, the public URL printed on PDFs.
    ...(process.env.SIGNING_KEY_ID ? { signer: new KmsSigner(new KMSClient({}), kmsSigningKeys()) } : {}),
    ...(process.env.RATE_LIMIT_TABLE ? { rateLimiter: new LeasingRateLimiter(new DynamoRateLimiter(dynamo, env('RATE_LIMIT_TABLE'), publicRateLimit())) } : {}),
    ...(process.env.VERIFICATIONS_TABLE ? { verifications: new DynamoVerificationLog(dynamo, env('VERIFICATIONS_TABLE')) } : {}),
    // Email needs a verified SES identity; without one the ledger's outbox (CandidateNotified) is all there is.
    ...(optionalEnv('SES_IDENTITY') ? { notifier: new SesNotifier(new SESv2Client({}), vault, optionalEnv('SES_IDENTITY')!) } : {}),
    ...(process.env.PUBLIC_BASE_URL ? { publicBaseUrl: process.env.PUBLIC_BASE_URL } : {}),
  };
  deps = built;
  return built;
}
