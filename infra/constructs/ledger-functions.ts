import { ArnFormat, type CfnResource, Duration, Stack } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { lazyChunkCommands, lazyChunksOf, withLazyChunks } from '../bundling/lazy-chunks.js';
import { grantDefines, ledgerBundling } from '../bundling/options.js';
import { accessOf, type FunctionAccess, withSignInCheck } from '../function-access.js';
import { acknowledge } from '../nag.js';
import { entryOf, projectRoot } from '../paths.js';
import { routes } from '../../functions/routes.js';
import { ACCESS_LOG_PARTITION } from '../../functions/adapters/dynamodb-access-log.js';
import { type AwsVariable, type RequiredAwsVariable, stateMachineArnVariable } from '../../functions/composition/config.js';
import type { LedgerBuckets } from './ledger-buckets.js';
import type { LedgerKeys } from './ledger-keys.js';
import type { LedgerScheduler } from './ledger-scheduler.js';
import type { LedgerTables } from './ledger-tables.js';

export interface LedgerFunctionsProps {
  tables: LedgerTables;
  buckets: LedgerBuckets;
  keys: LedgerKeys;
  scheduler: LedgerScheduler;
  /** Names of every workflow: each function gets `<NAME>_STATE_MACHINE_ARN`. */
  workflowNames: readonly string[];
  /** The SES identity (domain or address) the notifier sends from. @default - any identity of the account */
  sesIdentity?: string;
  logRetention: logs.RetentionDays;
  /** Access per module, over infra/function-access.ts. */
  access?: Record<string, FunctionAccess>;
  /** Behind CloudFront: the origin secret, read by the rate-limited functions to trust the viewer's address. */
  originSecret?: secretsmanager.ISecret;
}

export interface FunctionOptions {
  /** The route's method, for the default access of a module not in function-access.ts. */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  timeout?: Duration;
  memorySize?: number;
  /** Folders of the project copied beside the bundle (data the function reads at run time, such as referential/). */
  assetFolders?: readonly string[];
  /** Without the ledger's environment (a Cognito trigger: the pool would name it and it the pool, a cycle). */
  bare?: boolean;
  /** Logs in the routes' shared group, for a function that answers HTTP as a route does but is none (one resource less). */
  routeLogs?: boolean;
}

/**
 * A route's entry in the manifest (functions/routes.ts), as a constant of its bundle: functions/shared/lambda.ts
 * reads it instead of the whole manifest, which esbuild then leaves out. The first entry of the module, as the
 * manifest lookup finds it; nothing for a function that is no route (a consumer, a workflow step).
 */
export function routeDefines(module: string): Record<string, string> {
  const entry = routes.find((r) => r.module === module);
  return entry ? { 'process.env.LEDGER_BUNDLE_ROUTE': JSON.stringify(JSON.stringify(entry)) } : {};
}

/** `projections/project-change-feed` → `ProjectionsProjectChangeFeed` (stable construct ids, hence logical ids). */
export const constructIdOf = (module: string) =>
  module
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/**
 * A role whose grants land in its own inline policy instead of a separate AWS::IAM::Policy: one resource per
 * function rather than two, which keeps the stack far below CloudFormation's 500 resources as routes are added.
 * The permissions are the same (an AWS::IAM::Policy is an inline policy too, under the same size quota).
 */
export class InlinePolicyRole extends iam.Role {
  private readonly inlineGrants: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    const grants = new iam.PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { ...props.inlinePolicies, grants } });
    this.inlineGrants = grants;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.inlineGrants.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * One Lambda function per handler module with its own role, holding only what FunctionAccess grants, and its own
 * log group unless it is given a shared one (the routes': Lambda names each stream after its function).
 */
export class LedgerFunction extends Construct {
  readonly handler: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.ILogGroup;

  constructor(
    scope: Construct,
    id: string,
    props: {
      module: string;
      environment: Record<string, string>;
      logRetention: logs.RetentionDays;
      logGroup?: logs.ILogGroup;
      /** What the function is granted: its bundle leaves out the adapters of the rest (grantDefines). @default - every adapter */
      access?: FunctionAccess;
    } & FunctionOptions,
  ) {
    super(scope, id);
    this.logGroup = props.logGroup ?? new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new InlinePolicyRole(this, 'Role', {
      description: `certification-ledger ${props.module}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.logGroup.grantWrite(this.role);
    // A heavy library the function needs on one path only is a chunk beside index.mjs, loaded on first use (lazy-chunks.ts).
    const chunks = lazyChunksOf(props.module);
    const bundling = withLazyChunks({ ...ledgerBundling, define: { ...(props.access ? grantDefines(props.access) : {}), ...routeDefines(props.module) } }, chunks);
    const afterBundling = (inputDir: string, outputDir: string) => [
      ...lazyChunkCommands(chunks, inputDir, outputDir, bundling),
      ...(props.assetFolders ?? []).flatMap((folder) => [`mkdir -p "${outputDir}/${folder}"`, `cp "${inputDir}/${folder}/"*.json "${outputDir}/${folder}/"`]),
    ];
    this.handler = new NodejsFunction(this, 'Handler', {
      description: `certification-ledger ${props.module}`,
      entry: entryOf(props.module),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment,
      bundling: chunks.length || props.assetFolders?.length ? { ...bundling, commandHooks: { beforeBundling: () => [], beforeInstall: () => [], afterBundling } } : bundling,
    });
    // The role's policy (grants are added after this) must exist before the function first runs.
    this.handler.node.addDependency(this.role);
    acknowledge(
      this.handler,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the project targets (DESIGN.md: bundles built for node22, AWS SDK v3 from the Node 22 runtime); moving to a newer runtime is a deliberate, tested change.',
    );
  }
}

/**
 * The registry of functions: `get(module)` creates a module's function on first use (route, consumer or
 * workflow step) with the environment of every function and the grants of infra/function-access.ts.
 */
export class LedgerFunctions extends Construct {
  private readonly byModule = new Map<string, LedgerFunction>();
  /** Modules made without the ledger's environment (FunctionOptions.bare). */
  private readonly bare = new Set<string>();
  private readonly environment: Record<string, string>;
  /** One log group for every route's function: a route's logs are found by its stream names. */
  private routeLogs?: logs.LogGroup;
  private userPool?: cognito.IUserPool;
  /** Functions with `accounts` access made before the user pool was given (granted when it is). */
  private readonly awaitingUserPool: [LedgerFunction, 'invite' | 'disable'][] = [];
  private readonly routeModules = new Set<string>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: LedgerFunctionsProps,
  ) {
    super(scope, id);
    const { tables, buckets, keys, scheduler } = props;
    // Names and ids only (no secret): every function gets them all, since the composition parses them at cold start
    // (functions/composition/config.ts). Typed by the same schema: a variable it requires and this map forgets does
    // not compile. PUBLIC_BASE_URL and USER_POOL_ID come from the stack once the public address and the user pool
    // exist (setEnvironment, useUserPool).
    const environment: Omit<Record<RequiredAwsVariable, string>, 'PUBLIC_BASE_URL' | 'USER_POOL_ID'> & Partial<Record<AwsVariable, string>> = {
      EVENTS_TABLE: tables.events.tableName,
      READ_MODELS_TABLE: tables.readModels.tableName,
      IDEMPOTENCY_TABLE: tables.idempotency.tableName,
      PERSON_VAULT_TABLE: tables.personVault.tableName,
      RATE_LIMIT_TABLE: tables.rateLimit.tableName,
      VERIFICATIONS_TABLE: tables.verifications.tableName,
      SIGN_INS_TABLE: tables.signIns.tableName,
      VAULT_KEY_ID: keys.vault.keyId,
      SIGNING_KEY_ID: keys.signing.keyId,
      ...(keys.retiredSigning.length
        ? {
            SIGNING_KEY_HISTORY: JSON.stringify(
              keys.retiredSigning.map(({ spec }) => ({ keyId: spec.keyArn, ...(spec.validFrom ? { validFrom: spec.validFrom } : {}), validUntil: spec.validUntil })),
            ),
          }
        : {}),
      DOCUMENTS_BUCKET: buckets.documents.bucketName,
      EXPORTS_BUCKET: buckets.exports.bucketName,
      SCHEDULER_GROUP: scheduler.group.scheduleGroupName,
      SCHEDULER_ROLE_ARN: scheduler.role.roleArn,
      SCHEDULER_DLQ_ARN: scheduler.deadLetters.queueArn,
      SESSION_STATE_MACHINE_ARN: stateMachineArn(this, 'session'),
      CAPITALISATION_STATE_MACHINE_ARN: stateMachineArn(this, 'capitalisation'),
      EQUIVALENCE_STATE_MACHINE_ARN: stateMachineArn(this, 'equivalence'),
      ...(props.sesIdentity ? { SES_IDENTITY: props.sesIdentity } : {}),
      ...(props.originSecret ? { ORIGIN_SECRET_ARN: props.originSecret.secretArn } : {}),
    };
    this.environment = {
      ...environment,
      // Any other workflow the stack is given (the tests' samples) is known the same way.
      ...Object.fromEntries(props.workflowNames.map((name) => [stateMachineArnVariable(name), stateMachineArn(this, name)])),
      // Stack traces point into the TypeScript sources (the bundles ship their source maps).
      NODE_OPTIONS: '--enable-source-maps',
    };
    this.node.addValidation({
      validate: () =>
        this.awaitingUserPool.length && !this.userPool ? [`functions with accounts access but no user pool: ${this.awaitingUserPool.map(([f]) => f.node.id).join(', ')}`] : [],
    });
  }

  /**
   * The user pool the accounts live in (made with the HTTP API, after this registry): every function gets its id
   * (USER_POOL_ID), and those with `accounts` access its account actions, on this pool only.
   */
  useUserPool(userPool: cognito.IUserPool) {
    this.userPool = userPool;
    this.setEnvironment('USER_POOL_ID', userPool.userPoolId);
    for (const [fn, level] of this.awaitingUserPool.splice(0)) grantAccounts(fn.role, userPool, level);
  }

  /** The function of a handler module under functions/, created on first use. */
  get(module: string, options: FunctionOptions = {}): LedgerFunction {
    const existing = this.byModule.get(module);
    if (existing) return existing;
    const access = withSignInCheck(module, this.props.access?.[module] ?? accessOf(module, options.method));
    const fn = new LedgerFunction(this, constructIdOf(module), {
      module,
      environment: options.bare ? { NODE_OPTIONS: this.environment.NODE_OPTIONS! } : this.environment,
      logRetention: this.props.logRetention,
      access,
      ...(options.method || options.routeLogs ? { logGroup: this.routeLogGroup() } : {}),
      ...options,
    });
    this.grant(fn, access);
    this.byModule.set(module, fn);
    if (options.method) this.routeModules.add(module);
    if (options.bare) this.bare.add(module);
    return fn;
  }

  private routeLogGroup() {
    this.routeLogs ??= new logs.LogGroup(this, 'RouteLogs', { retention: this.props.logRetention });
    return this.routeLogs;
  }

  /** Sets a variable on every function, those already made and those to come. */
  setEnvironment(name: AwsVariable, value: string) {
    this.environment[name] = value;
    for (const [module, fn] of this.byModule) if (!this.bare.has(module)) fn.handler.addEnvironment(name, value);
  }

  /** The functions behind the HTTP API's routes (made with a method). */
  routeFunctions(): LedgerFunction[] {
    return [...this.routeModules].map((module) => this.byModule.get(module)!);
  }

  /** Every function created so far, by module. */
  all(): ReadonlyMap<string, LedgerFunction> {
    return this.byModule;
  }

  private grant(fn: LedgerFunction, access: FunctionAccess) {
    const { tables, buckets, keys, scheduler } = this.props;
    const role = fn.role;
    // Reads are GetItem and Query on the keys a function serves; no function of the ledger Scans a table (the
    // rebuild is an operator's tool), so none may.
    if (access.events) {
      grantKeyed(role, tables.events, ['dynamodb:GetItem', 'dynamodb:Query'], access.keys?.events);
      if (access.events === 'append') grantKeyed(role, tables.events, ['dynamodb:PutItem'], access.keys?.events);
    }
    if (access.readModels) {
      grantKeyed(role, tables.readModels, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], access.keys?.readModels);
      if (access.readModels === 'write') tables.readModels.grant(role, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
    }
    // The sign-in records (functions/accounts/sign-ins.ts): every authenticated route reads its caller's, by GetItem;
    // the account routes and the erasure write them. Nothing else, not even a Query: a record is read by its ledger id.
    if (access.signIns) tables.signIns.grant(role, 'dynamodb:GetItem');
    if (access.signIns === 'record') tables.signIns.grant(role, 'dynamodb:PutItem');
    if (access.idempotency) tables.idempotency.grant(role, 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
    if (access.rateLimit) {
      tables.rateLimit.grant(role, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
      // The limiter counts the viewer's address when CloudFront vouches for it with the origin secret.
      this.props.originSecret?.grantRead(role);
    }
    if (access.verifications) {
      tables.verifications.grant(role, 'dynamodb:Query');
      // Kept verifications by BatchWriteItem; the day's counter and the tallies by UpdateItem (GetItem reads a
      // counter back when a retried claim had already been applied): functions/adapters/dynamodb-verification-log.ts.
      if (access.verifications === 'write') tables.verifications.grant(role, 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem');
    }
    if (access.verifications && !access.accessLog) {
      // The table also holds the people's access logs (`access#<personId>`, functions/adapters/dynamodb-access-log.ts),
      // and the verification log's keys are bare certificate codes, so no LeadingKeys allow can name it: a function
      // that keeps only the verification log is denied every item of an access log instead (ForAnyValue: one such
      // key in a batch or query is enough).
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: [...ITEM_ACTIONS],
          resources: [tables.verifications.tableArn],
          conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${ACCESS_LOG_PARTITION}#*`] } },
        }),
      );
    }
    if (access.accessLog === 'read') tables.verifications.grant(role, 'dynamodb:Query');
    if (access.accessLog === 'write') tables.verifications.grant(role, 'dynamodb:BatchWriteItem');
    if (access.vault) {
      tables.personVault.grant(role, 'dynamodb:GetItem');
      if (access.vault !== 'erase') keys.vault.grant(role, 'kms:Decrypt');
      if (access.vault === 'write' || access.vault === 'erase') tables.personVault.grant(role, 'dynamodb:PutItem');
      if (access.vault === 'write') keys.vault.grant(role, 'kms:GenerateDataKey');
    }
    for (const [level, bucket] of [
      [access.documents, buckets.documents],
      [access.exports, buckets.exports],
    ] as const) {
      if (!level) continue;
      // ListBucket turns a missing key into NoSuchKey rather than AccessDenied. Not on the documents: listing them
      // lists every certificate code, and their store takes AccessDenied for absent (functions/composition/aws-ledger.ts).
      if (bucket !== buckets.documents) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
      const actions = level === 'write' ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'];
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [bucket.arnForObjects('*')] }));
      const bucketId = Stack.of(this).resolve((bucket.node.defaultChild as CfnResource).logicalId) as string;
      acknowledge(role, 'AwsSolutions-IAM5', 'Object keys are made at run time (one per document or export); the grant is limited to this bucket and to Get/PutObject.', [
        `Resource::<${bucketId}.Arn>/*`,
      ]);
    }
    if (access.signing) grantSigning(role, keys, access.signing);
    if (access.email) grantEmail(this, role, this.props.sesIdentity);
    for (const name of access.startsWorkflows ?? []) {
      if (!this.props.workflowNames.includes(name)) throw new Error(`${fn.node.id} starts an unknown workflow "${name}"`);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn(this, name)] }));
    }
    if (access.schedules) {
      scheduler.grantManageSchedules(role);
      // What the schedules start is what their role may start: the scheduled workflows only, not every state machine.
      for (const name of access.schedules) {
        if (!this.props.workflowNames.includes(name)) throw new Error(`${fn.node.id} schedules an unknown workflow "${name}"`);
        scheduler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn(this, name)] }));
      }
    }
    if (access.accounts) {
      if (this.userPool) grantAccounts(role, this.userPool, access.accounts);
      else this.awaitingUserPool.push([fn, access.accounts]);
    }
  }
}

/**
 * GetItem/Query (and the like) on a table, limited to partition keys matching `patterns` when given: the request's
 * every leading key must match one (ForAllValues), so a Query or a batch outside them is denied.
 */
/** Every DynamoDB action that reads or writes items by their keys (what a LeadingKeys condition sees). */
export const ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

function grantKeyed(role: iam.IRole, table: dynamodb.ITableV2, actions: string[], patterns: readonly string[] | undefined) {
  if (!patterns) return table.grant(role, ...actions);
  return iam.Grant.addToPrincipal({
    grantee: role,
    actions,
    resourceArns: [table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] } },
  });
}

/** What the AccountDirectory's Cognito adapter calls, on one user pool. */
export const ACCOUNT_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:AdminEnableUser',
] as const;

/**
 * Each account route's actions: invite creates, adds to its group, looks up and re-enables; disable looks up,
 * disables and signs out (ends the account's refresh tokens).
 */
export const ACCOUNT_ACTIONS_OF = {
  invite: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser', 'cognito-idp:AdminEnableUser'],
  disable: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser', 'cognito-idp:AdminDisableUser', 'cognito-idp:AdminUserGlobalSignOut'],
} as const satisfies Record<'invite' | 'disable', readonly (typeof ACCOUNT_ACTIONS)[number][]>;

export const grantAccounts = (grantee: iam.IGrantable, userPool: cognito.IUserPool, level: 'invite' | 'disable') => userPool.grant(grantee, ...ACCOUNT_ACTIONS_OF[level]);

/**
 * kms:Sign (and GetPublicKey) on the signing key, or GetPublicKey alone for publishing the JWKS; GetPublicKey on
 * every retired key too, since the signer lists them all in the JWKS (without it the JWKS route fails after a rotation).
 */
export function grantSigning(grantee: iam.IGrantable, keys: LedgerKeys, level: 'sign' | 'publicKey' = 'sign') {
  for (const { key } of keys.retiredSigning) key.grant(grantee, 'kms:GetPublicKey');
  return level === 'sign' ? keys.signing.grant(grantee, 'kms:Sign', 'kms:GetPublicKey') : keys.signing.grant(grantee, 'kms:GetPublicKey');
}

/** SES sending from one identity (the notifier). */
export function grantEmail(scope: Construct, grantee: iam.IGrantable, identity: string | undefined) {
  const stack = Stack.of(scope);
  const grant = iam.Grant.addToPrincipal({
    grantee,
    actions: ['ses:SendEmail', 'ses:SendRawEmail'],
    resourceArns: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity ?? '*' })],
  });
  if (!identity && grantee instanceof Construct) {
    acknowledge(
      grantee,
      'AwsSolutions-IAM5',
      'No SES identity configured yet (context ledger:sesIdentity): sending is allowed from any verified identity of this account until one is set.',
      [/^Resource::arn:[^:]+:ses:[^:]+:.+:identity\/\*$/],
    );
  }
  return grant;
}

/** A workflow's state machine ARN, from its fixed name: referencing it creates no dependency (so a step may start its own workflow). */
export const stateMachineArn = (scope: Construct, workflow: string) =>
  Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineName(scope, workflow),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });

export const stateMachineName = (scope: Construct, workflow: string) => `${Stack.of(scope).stackName}-${workflow}`;
