import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import S3rver from 's3rver';
import { callersOf, resourcePoliciesOf, type Caller } from './authorise.js';
import { startAwsGateway, type AwsGateway, type GatewayOptions } from './aws-gateway.js';
import type { Prepared } from './local-cognito.js';
import { dynamoRefusal, s3Refusal, socketFolder, standInCredentials, startSigV4Guard } from '../local/stand-in-guard.js';
import { LocalKms } from './local-kms.js';
import { TwinScheduler, LocalSes, LocalStepFunctions, type ExecutionRunner } from './local-services.js';
import { bucketNames, kmsKeySpecs, provisionTables } from './provision.js';
import type { Resolver } from './resolver.js';
import { TableStream } from './stream-delivery.js';
import type { StackModel } from './template.js';

/**
 * The AWS account of the twin on one machine: dynalite and s3rver holding the template's tables and buckets,
 * the in-process KMS, Step Functions, Scheduler and SES, and the gateway every function calls through.
 * State lives under `dataDir` (tables, objects, key material, schedules, the outbox) unless it is omitted.
 */
export interface LocalAwsOptions {
  /** Where objects, key material, schedules and the outbox live (and the tables, with `persist`). */
  dataDir: string;
  /** Whether dynalite keeps its tables on disk under dataDir (a restart finds them) or in memory. */
  persist?: boolean;
  /** Runs a Step Functions execution (the twin binds it to aws-local-stepfunctions). */
  runExecution?: ExecutionRunner;
  onDecision?: GatewayOptions['onDecision'];
  /** Where Cognito user pool calls go once authorised (cognito-local), and how each is made ready for it. */
  cognito?: { url: string; beforeForward: (operation: string, body: Buffer) => Promise<Prepared> };
}

export interface LocalAws {
  gateway: AwsGateway;
  /** By logical id of the function. */
  callers: Map<string, Caller>;
  stepFunctions: LocalStepFunctions;
  scheduler: TwinScheduler;
  /** By table logical id: the stream of each table whose template asks for one. */
  streams: Map<string, TableStream>;
  /** Clients that bypass IAM, for the twin's own provisioning and for tests that look behind the API. */
  admin: { dynamodb: DynamoDBClient; s3: S3Client };
  outbox: string;
  stop(): Promise<void>;
}

export async function startLocalAws(model: StackModel, resolver: Resolver, options: LocalAwsOptions): Promise<LocalAws> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    // dynalite and s3rver check no signature: they serve unix sockets in a 0700 folder, reached by the gateway
    // (which checks each function's signature) and, for the twin's own provisioning, through SigV4 guards.
    const standIn = standInCredentials(options.dataDir);
    const sockets = socketFolder(options.dataDir);
    stops.push(async () => sockets.dispose());
    const db = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.persist ? { path: join(options.dataDir, 'dynamodb') } : {}) });
    const dynamoSocket = join(sockets.path, 'dynamodb.sock');
    await new Promise<void>((r) => db.listen(dynamoSocket, r));
    stops.push(() => new Promise((r) => db.close(() => r())));
    const dynamoGuard = await startSigV4Guard({ socketPath: dynamoSocket, credentials: standIn, forwardAuthorization: true, refusal: dynamoRefusal });
    stops.push(() => dynamoGuard.close());
    const dynamodb = new DynamoDBClient({ endpoint: dynamoGuard.endpoint, region: resolver.region, credentials: standIn });
    stops.push(async () => dynamodb.destroy());
    await provisionTables(dynamodb, model, resolver);

    const s3Socket = join(sockets.path, 's3.sock');
    const s3server = new S3rver({
      port: s3Socket,
      silent: true,
      directory: join(options.dataDir, 's3'),
      configureBuckets: bucketNames(model, resolver).map((name) => ({ name })),
    });
    await s3server.run();
    stops.push(() => s3server.close());
    const s3Guard = await startSigV4Guard({ socketPath: s3Socket, credentials: standIn, forwardAuthorization: false, refusal: s3Refusal });
    stops.push(() => s3Guard.close());
    // Without WHEN_REQUIRED s3rver stores streamed bodies chunk-encoded.
    const s3 = new S3Client({
      endpoint: s3Guard.endpoint,
      region: resolver.region,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      credentials: standIn,
    });
    stops.push(async () => s3.destroy());

    const byLogicalId = callersOf(model, resolver);
    const streams = new Map(
      model.tables
        .filter((t) => t.streamViewType)
        .map((t) => [
          t.logicalId,
          new TableStream({
            tableName: resolver.ref(t.logicalId),
            streamArn: resolver.getAtt(t.logicalId, 'StreamArn'),
            viewType: t.streamViewType!,
            keyNames: t.keySchema.map((k) => k.AttributeName),
            region: resolver.region,
          }),
        ]),
    );
    const stepFunctions = new LocalStepFunctions(
      model.stateMachines.map((m) => resolver.ref(m.logicalId)),
      options.runExecution ??
        (async () => {
          throw new Error('the twin runs no state machine yet');
        }),
    );
    const scheduler = new TwinScheduler(resolver.region, resolver.account, join(options.dataDir, 'schedules.json'));
    const outbox = join(options.dataDir, 'ses-outbox.jsonl');
    const gateway = await startAwsGateway({
      region: resolver.region,
      account: resolver.account,
      callers: new Map([...byLogicalId.values()].map((c) => [c.functionName, c])),
      resourcePolicies: resourcePoliciesOf(model, resolver),
      secret: standIn.secretAccessKey,
      upstreams: { dynamodb: `unix:${dynamoSocket}`, s3: `unix:${s3Socket}`, ...(options.cognito ? { 'cognito-idp': options.cognito.url } : {}) },
      ...(options.cognito ? { beforeForward: { 'cognito-idp': options.cognito.beforeForward } } : {}),
      kms: new LocalKms(kmsKeySpecs(model, resolver), join(options.dataDir, 'kms')),
      stepFunctions,
      scheduler,
      ses: new LocalSes(outbox),
      streams: new Map([...streams.values()].map((st) => [st.spec.tableName, st])),
      ...(options.onDecision ? { onDecision: options.onDecision } : {}),
    });
    stops.push(() => gateway.close());
    return { gateway, callers: byLogicalId, stepFunctions, scheduler, streams, admin: { dynamodb, s3 }, outbox, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
