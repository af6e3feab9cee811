import { existsSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { z } from 'zod';

/**
 * The stack as `cdk synth` left it in cdk.out: everything the twin knows about the ledger comes from here,
 * never from the project's sources, so the twin follows whatever the stack becomes.
 *
 * Values stay raw (with their intrinsics) in this model; `createResolver` turns them into the local
 * physical names and ARNs.
 */

const manifestSchema = z.object({
  artifacts: z.record(
    z.string(),
    z
      .object({
        type: z.string(),
        environment: z.string().optional(),
        properties: z.object({ templateFile: z.string().optional() }).loose().optional(),
      })
      .loose(),
  ),
});

const resourceSchema = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).default({}),
  Metadata: z.record(z.string(), z.unknown()).optional(),
  DependsOn: z.union([z.string(), z.array(z.string())]).optional(),
  Condition: z.string().optional(),
});

const templateSchema = z.object({
  Resources: z.record(z.string(), resourceSchema),
  Conditions: z.record(z.string(), z.unknown()).optional(),
  Mappings: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).optional(),
  Parameters: z.record(z.string(), z.object({ Default: z.unknown().optional() }).loose()).optional(),
  Outputs: z.record(z.string(), z.object({ Value: z.unknown() }).loose()).optional(),
});

export type CfnResource = z.infer<typeof resourceSchema>;
export type CfnTemplate = z.infer<typeof templateSchema>;

export interface LambdaFunction {
  logicalId: string;
  /** The folder of the asset CDK would upload (absolute), from the `aws:asset:path` metadata. */
  assetDir: string | undefined;
  handler: string;
  runtime: string;
  /** Seconds (CloudFormation's default: 3). */
  timeout: number;
  /** MB (CloudFormation's default: 128). */
  memorySize: number;
  /** Raw, intrinsics included. */
  environment: Record<string, unknown>;
  roleLogicalId: string | undefined;
  description: string | undefined;
  /** The construct path (`Stack/Functions/HealthGetHealth/Handler/Resource`), for messages. */
  path: string | undefined;
}

export interface PolicyDocument {
  Version?: string;
  Statement: unknown[] | unknown;
}

export interface AttachedPolicy {
  /** The policy's logical id, or `<role>/<PolicyName>` for an inline policy of the role. */
  name: string;
  document: unknown;
}

export interface RolePolicies {
  roleLogicalId: string;
  assumeRolePolicy: unknown;
  /** Inline policies of the role and AWS::IAM::Policy / customer managed policies attached to it (raw). */
  policies: AttachedPolicy[];
  /** Managed policy ARNs that are not in the template (AWS managed policies), raw. */
  managedPolicyArns: unknown[];
}

export interface HttpRoute {
  logicalId: string;
  apiLogicalId: string | undefined;
  routeKey: string;
  /** `GET`, `ANY`, or `$default`'s undefined. */
  method: string | undefined;
  path: string | undefined;
  authorizationType: string;
  authorizerLogicalId: string | undefined;
  authorizationScopes: unknown[];
  integrationLogicalId: string | undefined;
  integrationType: string | undefined;
  payloadFormatVersion: string | undefined;
  /** The Lambda function the integration invokes. */
  functionLogicalId: string | undefined;
}

/** An HTTP API's CORS configuration (AWS::ApiGatewayV2::Api CorsConfiguration), as API Gateway applies it. */
export interface HttpApiCors {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAge: number | undefined;
}

export interface HttpApi {
  logicalId: string;
  /** Undefined when the API has no CORS configuration: then API Gateway answers no preflight itself. */
  cors: HttpApiCors | undefined;
}

export interface JwtAuthorizer {
  logicalId: string;
  name: string | undefined;
  identitySource: string[];
  /** Raw. */
  issuer: unknown;
  /** Raw. */
  audience: unknown[];
}

export interface EventSourceMapping {
  logicalId: string;
  functionLogicalId: string | undefined;
  /** Raw (`{Fn::GetAtt: [table, StreamArn]}`). */
  eventSourceArn: unknown;
  /** The resource whose stream (or queue) feeds the mapping. */
  sourceLogicalId: string | undefined;
  batchSize: number;
  bisectBatchOnFunctionError: boolean;
  /** -1: until the record expires (AWS's default for streams). */
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  maximumBatchingWindowInSeconds: number;
  parallelizationFactor: number;
  startingPosition: string | undefined;
  functionResponseTypes: string[];
  /** Raw. */
  onFailureDestination: unknown;
  filterPatterns: unknown[];
  enabled: boolean;
}

export interface StateMachine {
  logicalId: string;
  /** Raw StateMachineName, when the template names it. */
  name: unknown;
  /** Raw DefinitionString (or the Definition object). */
  definition: unknown;
  definitionSubstitutions: Record<string, unknown>;
  roleLogicalId: string | undefined;
  type: string;
}

export interface Table {
  logicalId: string;
  type: string;
  /** Raw TableName when the template names it. */
  tableName: unknown;
  keySchema: { AttributeName: string; KeyType: string }[];
  attributeDefinitions: { AttributeName: string; AttributeType: string }[];
  globalSecondaryIndexes: unknown[];
  localSecondaryIndexes: unknown[];
  streamViewType: string | undefined;
  timeToLiveAttribute: string | undefined;
}

export interface Bucket {
  logicalId: string;
  bucketName: unknown;
}

export interface KmsKey {
  logicalId: string;
  keySpec: string;
  keyUsage: string;
  description: string | undefined;
  keyPolicy: unknown;
}

export interface UserPool {
  logicalId: string;
  usernameAttributes: string[];
  schema: { name: string; attributeDataType: string; mutable: boolean; required: boolean }[];
  clients: { logicalId: string; clientName: unknown; explicitAuthFlows: string[]; generateSecret: boolean }[];
  groups: { logicalId: string; groupName: string; description: string | undefined }[];
}

/** A CDK `triggers.Trigger`: a function invoked once at deploy time. */
export interface Trigger {
  logicalId: string;
  functionLogicalId: string | undefined;
  invocationType: string;
  timeout: number | undefined;
  dependsOn: string[];
}

export interface StackModel {
  cdkOut: string;
  stackName: string;
  /** From the manifest's environment (`aws://unknown-account/eu-west-3`), undefined when agnostic. */
  region: string | undefined;
  account: string | undefined;
  template: CfnTemplate;
  functions: LambdaFunction[];
  roles: RolePolicies[];
  httpApis: HttpApi[];
  httpRoutes: HttpRoute[];
  jwtAuthorizers: JwtAuthorizer[];
  eventSourceMappings: EventSourceMapping[];
  stateMachines: StateMachine[];
  tables: Table[];
  buckets: Bucket[];
  bucketPolicies: { logicalId: string; bucket: unknown; document: unknown }[];
  kmsKeys: KmsKey[];
  userPools: UserPool[];
  triggers: Trigger[];
  scheduleGroups: { logicalId: string; name: unknown }[];
  queues: { logicalId: string; queueName: unknown }[];
  /**
   * The nested stacks (AWS::CloudFormation::Stack), each with its template from cdk.out (the asset CDK uploads). The
   * twin runs none of their resources: the ledger's one nested stack holds the alarms and their topic.
   */
  nestedStacks: { logicalId: string; template: CfnTemplate | undefined }[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : fallback);
const bool = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : fallback);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * Every logical id a value refers to: `Ref`, `Fn::GetAtt` (both forms) and `${Id}` / `${Id.Attr}` inside
 * `Fn::Sub` strings. Pseudo parameters are left out.
 */
export function referencedLogicalIds(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, inner] of Object.entries(v)) {
      if (k === 'Ref' && typeof inner === 'string' && !inner.startsWith('AWS::')) found.add(inner);
      else if (k === 'Fn::GetAtt') {
        const target = typeof inner === 'string' ? inner.split('.')[0] : Array.isArray(inner) ? inner[0] : undefined;
        if (typeof target === 'string') found.add(target);
      } else if (k === 'Fn::Sub') {
        const [text, vars] = Array.isArray(inner) ? [inner[0], inner[1]] : [inner, undefined];
        if (typeof text === 'string') {
          for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const name = m[1]!.split('.')[0]!;
            if (!name.startsWith('AWS::') && !(vars && typeof vars === 'object' && name in vars)) found.add(name);
          }
        }
        walk(vars);
      } else walk(inner);
    }
  };
  walk(value);
  return [...found];
}

/** The ledger's stack in the app (infra/ledger-app.ts STACK_NAME, not imported: the twin's model loads no aws-cdk-lib). */
const LEDGER_STACK = 'CertificationLedger';

/** Reads the stack's template out of a cloud assembly (via manifest.json), and its asset folders. */
export function readStack(cdkOut: string, stackName?: string): StackModel {
  const dir = resolvePath(cdkOut);
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const all = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  // The app also holds CertificationLedgerEdge (the us-east-1 web ACL, nothing the twin runs): the ledger's stack is the one meant.
  const chosen = stackName ?? (all.length > 1 && all.some(([n]) => n === LEDGER_STACK) ? LEDGER_STACK : undefined);
  const stacks = all.filter(([name]) => !chosen || name === chosen);
  if (stacks.length !== 1) {
    throw new Error(`cdk.out at ${dir}: expected one stack${stackName ? ` named ${stackName}` : ''}, found ${stacks.map(([n]) => n).join(', ') || 'none'}`);
  }
  const [name, artifact] = stacks[0]!;
  const templateFile = artifact.properties?.templateFile ?? `${name}.template.json`;
  const template = templateSchema.parse(JSON.parse(readFileSync(join(dir, templateFile), 'utf8')));
  const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
  const account = env && !env[1]!.startsWith('unknown') ? env[1] : undefined;
  const region = env && !env[2]!.startsWith('unknown') ? env[2] : undefined;
  return modelOf(template, { cdkOut: dir, stackName: name, region, account });
}

/** The model of a parsed template (exported so tests can build one from a hand-written template). */
export function modelOf(template: CfnTemplate, where: { cdkOut: string; stackName: string; region?: string | undefined; account?: string | undefined }): StackModel {
  const resources = template.Resources;
  const ofType = (...types: string[]) => Object.entries(resources).filter(([, r]) => types.includes(r.Type));
  const typeOf = (id: string | undefined) => (id ? resources[id]?.Type : undefined);
  const firstOfType = (value: unknown, type: string) => referencedLogicalIds(value).find((id) => typeOf(id) === type);
  const dependsOn = (r: CfnResource) => arr(r.DependsOn).filter((d): d is string => typeof d === 'string');

  /** A function reached directly, through an alias or a version (`currentVersion`). */
  const functionOf = (value: unknown): string | undefined => {
    for (const id of referencedLogicalIds(value)) {
      const type = typeOf(id);
      if (type === 'AWS::Lambda::Function') return id;
      if (type === 'AWS::Lambda::Version' || type === 'AWS::Lambda::Alias') {
        const inner = functionOf(resources[id]!.Properties.FunctionName);
        if (inner) return inner;
      }
    }
    return undefined;
  };

  const functions: LambdaFunction[] = ofType('AWS::Lambda::Function').map(([logicalId, r]) => {
    const p = r.Properties;
    const assetPath = str(r.Metadata?.['aws:asset:path']);
    return {
      logicalId,
      assetDir: assetPath ? join(where.cdkOut, assetPath) : undefined,
      handler: str(p.Handler) ?? 'index.handler',
      runtime: str(p.Runtime) ?? 'unknown',
      timeout: num(p.Timeout, 3),
      memorySize: num(p.MemorySize, 128),
      environment: obj(obj(p.Environment).Variables),
      roleLogicalId: firstOfType(p.Role, 'AWS::IAM::Role'),
      description: str(p.Description),
      path: str(r.Metadata?.['aws:cdk:path']),
    };
  });

  const attachedTo = (r: CfnResource, roleId: string) => arr(r.Properties.Roles).some((ref) => referencedLogicalIds(ref).includes(roleId));
  const roles: RolePolicies[] = ofType('AWS::IAM::Role').map(([roleLogicalId, r]) => {
    const p = r.Properties;
    const inline = arr(p.Policies).map((pol) => ({ name: `${roleLogicalId}/${str(obj(pol).PolicyName) ?? 'inline'}`, document: obj(pol).PolicyDocument }));
    const standalone = ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')
      .filter(([, pol]) => attachedTo(pol, roleLogicalId))
      .map(([id, pol]) => ({ name: id, document: pol.Properties.PolicyDocument }));
    const managed = arr(p.ManagedPolicyArns);
    const customerManaged = managed.flatMap((m) => {
      const id = firstOfType(m, 'AWS::IAM::ManagedPolicy');
      return id && !standalone.some((s) => s.name === id) ? [{ name: id, document: resources[id]!.Properties.PolicyDocument }] : [];
    });
    return {
      roleLogicalId,
      assumeRolePolicy: p.AssumeRolePolicyDocument,
      policies: [...inline, ...standalone, ...customerManaged],
      managedPolicyArns: managed.filter((m) => !firstOfType(m, 'AWS::IAM::ManagedPolicy')),
    };
  });

  const strings = (v: unknown) => arr(v).map(String);
  const httpApis: HttpApi[] = ofType('AWS::ApiGatewayV2::Api').map(([logicalId, r]) => {
    const c = r.Properties.CorsConfiguration;
    if (c === undefined) return { logicalId, cors: undefined };
    const cors = obj(c);
    return {
      logicalId,
      cors: {
        allowOrigins: strings(cors.AllowOrigins),
        allowMethods: strings(cors.AllowMethods),
        allowHeaders: strings(cors.AllowHeaders),
        exposeHeaders: strings(cors.ExposeHeaders),
        allowCredentials: bool(cors.AllowCredentials, false),
        maxAge: cors.MaxAge === undefined ? undefined : num(cors.MaxAge, 0),
      },
    };
  });

  const httpRoutes: HttpRoute[] = ofType('AWS::ApiGatewayV2::Route').map(([logicalId, r]) => {
    const p = r.Properties;
    const routeKey = str(p.RouteKey) ?? '';
    const [method, path] = routeKey.includes(' ') ? routeKey.split(' ', 2) : [undefined, undefined];
    const integrationLogicalId = firstOfType(p.Target, 'AWS::ApiGatewayV2::Integration');
    const integration = integrationLogicalId ? resources[integrationLogicalId]!.Properties : {};
    return {
      logicalId,
      apiLogicalId: firstOfType(p.ApiId, 'AWS::ApiGatewayV2::Api'),
      routeKey,
      method,
      path,
      authorizationType: str(p.AuthorizationType) ?? 'NONE',
      authorizerLogicalId: firstOfType(p.AuthorizerId, 'AWS::ApiGatewayV2::Authorizer'),
      authorizationScopes: arr(p.AuthorizationScopes),
      integrationLogicalId,
      integrationType: str(integration.IntegrationType),
      payloadFormatVersion: str(integration.PayloadFormatVersion),
      functionLogicalId: functionOf(integration.IntegrationUri),
    };
  });

  const jwtAuthorizers: JwtAuthorizer[] = ofType('AWS::ApiGatewayV2::Authorizer')
    .filter(([, r]) => r.Properties.AuthorizerType === 'JWT')
    .map(([logicalId, r]) => {
      const jwt = obj(r.Properties.JwtConfiguration);
      return {
        logicalId,
        name: str(r.Properties.Name),
        identitySource: arr(r.Properties.IdentitySource).filter((s): s is string => typeof s === 'string'),
        issuer: jwt.Issuer,
        audience: arr(jwt.Audience),
      };
    });

  const eventSourceMappings: EventSourceMapping[] = ofType('AWS::Lambda::EventSourceMapping').map(([logicalId, r]) => {
    const p = r.Properties;
    const isQueue = referencedLogicalIds(p.EventSourceArn).some((id) => typeOf(id) === 'AWS::SQS::Queue');
    return {
      logicalId,
      functionLogicalId: functionOf(p.FunctionName),
      eventSourceArn: p.EventSourceArn,
      sourceLogicalId: referencedLogicalIds(p.EventSourceArn)[0],
      batchSize: num(p.BatchSize, isQueue ? 10 : 100),
      bisectBatchOnFunctionError: bool(p.BisectBatchOnFunctionError, false),
      maximumRetryAttempts: num(p.MaximumRetryAttempts, -1),
      maximumRecordAgeInSeconds: num(p.MaximumRecordAgeInSeconds, -1),
      maximumBatchingWindowInSeconds: num(p.MaximumBatchingWindowInSeconds, 0),
      parallelizationFactor: num(p.ParallelizationFactor, 1),
      startingPosition: str(p.StartingPosition),
      functionResponseTypes: arr(p.FunctionResponseTypes).filter((t): t is string => typeof t === 'string'),
      onFailureDestination: obj(obj(p.DestinationConfig).OnFailure).Destination,
      filterPatterns: arr(obj(p.FilterCriteria).Filters).map((f) => obj(f).Pattern),
      enabled: bool(p.Enabled, true),
    };
  });

  const stateMachines: StateMachine[] = ofType('AWS::StepFunctions::StateMachine').map(([logicalId, r]) => {
    const p = r.Properties;
    return {
      logicalId,
      name: p.StateMachineName,
      definition: p.DefinitionString ?? p.Definition,
      definitionSubstitutions: obj(p.DefinitionSubstitutions),
      roleLogicalId: firstOfType(p.RoleArn, 'AWS::IAM::Role'),
      type: str(p.StateMachineType) ?? 'STANDARD',
    };
  });

  const tables: Table[] = ofType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable').map(([logicalId, r]) => {
    const p = r.Properties;
    const stream = obj(p.StreamSpecification);
    const ttl = obj(p.TimeToLiveSpecification);
    return {
      logicalId,
      type: r.Type,
      tableName: p.TableName,
      keySchema: arr(p.KeySchema) as Table['keySchema'],
      attributeDefinitions: arr(p.AttributeDefinitions) as Table['attributeDefinitions'],
      globalSecondaryIndexes: arr(p.GlobalSecondaryIndexes),
      localSecondaryIndexes: arr(p.LocalSecondaryIndexes),
      streamViewType: str(stream.StreamViewType),
      timeToLiveAttribute: ttl.Enabled === false ? undefined : str(ttl.AttributeName),
    };
  });

  const buckets: Bucket[] = ofType('AWS::S3::Bucket').map(([logicalId, r]) => ({ logicalId, bucketName: r.Properties.BucketName }));
  const bucketPolicies = ofType('AWS::S3::BucketPolicy').map(([logicalId, r]) => ({ logicalId, bucket: r.Properties.Bucket, document: r.Properties.PolicyDocument }));

  const kmsKeys: KmsKey[] = ofType('AWS::KMS::Key').map(([logicalId, r]) => ({
    logicalId,
    keySpec: str(r.Properties.KeySpec) ?? 'SYMMETRIC_DEFAULT',
    keyUsage: str(r.Properties.KeyUsage) ?? 'ENCRYPT_DECRYPT',
    description: str(r.Properties.Description),
    keyPolicy: r.Properties.KeyPolicy,
  }));

  const ofPool = (poolId: string, r: CfnResource) => referencedLogicalIds(r.Properties.UserPoolId).includes(poolId);
  const userPools: UserPool[] = ofType('AWS::Cognito::UserPool').map(([logicalId, r]) => ({
    logicalId,
    usernameAttributes: arr(r.Properties.UsernameAttributes).filter((a): a is string => typeof a === 'string'),
    schema: arr(r.Properties.Schema).map((a) => {
      const s = obj(a);
      return { name: str(s.Name) ?? '', attributeDataType: str(s.AttributeDataType) ?? 'String', mutable: bool(s.Mutable, true), required: bool(s.Required, false) };
    }),
    clients: ofType('AWS::Cognito::UserPoolClient')
      .filter(([, c]) => ofPool(logicalId, c))
      .map(([id, c]) => ({
        logicalId: id,
        clientName: c.Properties.ClientName,
        explicitAuthFlows: arr(c.Properties.ExplicitAuthFlows).filter((f): f is string => typeof f === 'string'),
        generateSecret: bool(c.Properties.GenerateSecret, false),
      })),
    groups: ofType('AWS::Cognito::UserPoolGroup')
      .filter(([, g]) => ofPool(logicalId, g))
      .map(([id, g]) => ({ logicalId: id, groupName: str(g.Properties.GroupName) ?? id, description: str(g.Properties.Description) })),
  }));

  const triggers: Trigger[] = ofType('Custom::Trigger').map(([logicalId, r]) => ({
    logicalId,
    functionLogicalId: functionOf(r.Properties.HandlerArn),
    invocationType: str(r.Properties.InvocationType) ?? 'RequestResponse',
    timeout: r.Properties.Timeout === undefined ? undefined : num(r.Properties.Timeout, 0),
    dependsOn: dependsOn(r),
  }));

  return {
    cdkOut: where.cdkOut,
    stackName: where.stackName,
    region: where.region,
    account: where.account,
    template,
    functions,
    roles,
    httpApis,
    httpRoutes,
    jwtAuthorizers,
    eventSourceMappings,
    stateMachines,
    tables,
    buckets,
    bucketPolicies,
    kmsKeys,
    userPools,
    triggers,
    scheduleGroups: ofType('AWS::Scheduler::ScheduleGroup').map(([logicalId, r]) => ({ logicalId, name: r.Properties.Name })),
    queues: ofType('AWS::SQS::Queue').map(([logicalId, r]) => ({ logicalId, queueName: r.Properties.QueueName })),
    nestedStacks: ofType('AWS::CloudFormation::Stack').map(([logicalId, r]) => {
      const assetPath = str(r.Metadata?.['aws:asset:path']);
      const file = assetPath ? join(where.cdkOut, assetPath) : undefined;
      return { logicalId, template: file && existsSync(file) ? templateSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : undefined };
    }),
  };
}
