import { Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';
import { routes as manifest, type RouteEntry } from '../../functions/routes.js';
import { Role } from '../../functions/shared/auth.js';
import { streamConsumers, type StreamConsumer } from '../consumers.js';
import { ChangeFeed } from '../constructs/change-feed.js';
import type { LedgerAlarms } from '../constructs/ledger-alarms.js';
import { LedgerBuckets } from '../constructs/ledger-buckets.js';
import { LedgerFunctions } from '../constructs/ledger-functions.js';
import { LedgerHttpApi } from '../constructs/ledger-http-api.js';
import { LedgerKeys, type LedgerKeysProps } from '../constructs/ledger-keys.js';
import { LedgerOriginSecret } from '../constructs/ledger-origin-secret.js';
import { LedgerSignIn, type LedgerSignInProps } from '../constructs/ledger-sign-in.js';
import { LedgerScheduler } from '../constructs/ledger-scheduler.js';
import { LedgerStartUp } from '../constructs/ledger-start-up.js';
import { LedgerTables, type ReadModelColour } from '../constructs/ledger-tables.js';
import { ReadModelRebuild } from '../constructs/read-model-rebuild.js';
import { LedgerWeb } from '../constructs/ledger-web.js';
import { LedgerWorkflows } from '../constructs/ledger-workflows.js';
import { workflows as registeredWorkflows } from '../workflows/index.js';
import { REBUILD_MODULES, rebuildReadModelsWorkflow } from '../workflows/rebuild-read-models.js';
import { functionsOf, MonitoringStack } from './monitoring-stack.js';
import type { WorkflowDefinition } from '../workflows/workflow.js';
import type { FunctionAccess } from '../function-access.js';
import { ContextRefusal } from '../context-refusal.js';
import type { LedgerStage } from '../../functions/shared/stage.js';

export interface LedgerStackProps extends StackProps {
  /** The signing key's generation and the keys it replaced (context `ledger:signingKeyGeneration`, `ledger:retiredSigningKeys`). */
  signingKeys?: LedgerKeysProps;
  /** @default the route manifest, functions/routes.ts (localOnly routes are never deployed) */
  routes?: readonly RouteEntry[];
  /** @default infra/consumers.ts */
  consumers?: readonly StreamConsumer[];
  /** @default infra/workflows/index.ts */
  workflows?: readonly WorkflowDefinition[];
  /** @default three months */
  logRetention?: logs.RetentionDays;
  /** Receives the alarms. @default - no subscription (subscribe to the topic yourself) */
  alarmEmail?: string;
  /** The SES identity the notifier sends from. @default - any identity of the account */
  sesIdentity?: string;
  /** Where the public pages live (QR codes, credential issuer). @default the HTTP API's URL */
  publicBaseUrl?: string;
  /** Access per handler module, over infra/function-access.ts. @default none */
  access?: Record<string, FunctionAccess>;
  /** The pages of web/ on S3 behind CloudFront, with the API under the same origin (infra/constructs/ledger-web.ts). @default true */
  web?: boolean;
  /**
   * `development` marks every page, credential and PDF as a specimen (functions/shared/stage.ts); `production` must
   * have its own domain (ledger-app.ts). @default development
   */
  stage?: LedgerStage;
  /** FranceConnect (candidates) and ProConnect (professionals) as OIDC providers, from the context. @default none */
  identityProviders?: LedgerSignInProps['providers'];
  /** The distribution's WAF web ACL, from the us-east-1 stack (required in production, ledger-app.ts). */
  webAclArn?: string;
  /** The public host name and its us-east-1 ACM certificate (required in production, ledger-app.ts). */
  domain?: { name: string; certificateArn: string };
  /** The read-model table the functions serve from; the switch after a rebuild. @default context `ledger:readModels`, else 'blue' */
  activeReadModels?: ReadModelColour;
}

/** Everything certification-ledger runs on in AWS (DESIGN.md §3), derived from the route manifest, the consumers and the workflows. */
export class LedgerStack extends Stack {
  readonly tables: LedgerTables;
  readonly buckets: LedgerBuckets;
  readonly keys: LedgerKeys;
  readonly scheduler: LedgerScheduler;
  readonly functions: LedgerFunctions;
  readonly http: LedgerHttpApi;
  readonly changeFeed: ChangeFeed;
  readonly workflows: LedgerWorkflows;
  /** The nested stack of the alarms and their topic (infra/stacks/monitoring-stack.ts). */
  readonly monitoring: MonitoringStack;
  readonly alarms: LedgerAlarms;
  readonly startUp: LedgerStartUp;
  readonly web?: LedgerWeb;
  readonly rebuild: ReadModelRebuild;
  readonly stage: LedgerStage;
  readonly originSecret?: LedgerOriginSecret;
  readonly signIn: LedgerSignIn;

  constructor(scope: Construct, id: string, props: LedgerStackProps = {}) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    const workflows = props.workflows ?? registeredWorkflows;
    this.stage = props.stage ?? 'development';

    this.tables = new LedgerTables(this, 'Tables', { activeReadModels: props.activeReadModels ?? readModelsContext(this) });
    this.buckets = new LedgerBuckets(this, 'Buckets');
    this.keys = new LedgerKeys(this, 'Keys', props.signingKeys ?? {});
    // Behind CloudFront only: the header that makes the viewer's address trusted.
    if (props.web !== false) this.originSecret = new LedgerOriginSecret(this, 'OriginSecret');
    this.scheduler = new LedgerScheduler(this, 'Scheduler');
    this.functions = new LedgerFunctions(this, 'Functions', {
      tables: this.tables,
      buckets: this.buckets,
      keys: this.keys,
      scheduler: this.scheduler,
      workflowNames: workflows.map((w) => w.name),
      logRetention,
      access: props.access ?? {},
      ...(this.originSecret ? { originSecret: this.originSecret.secret } : {}),
      ...(props.sesIdentity ? { sesIdentity: props.sesIdentity } : {}),
    });
    this.http = new LedgerHttpApi(this, 'Http', {
      routes: (props.routes ?? manifest).filter((r) => !r.localOnly),
      functions: this.functions,
      groups: Role.options,
      logRetention,
    });
    this.signIn = new LedgerSignIn(this, 'SignIn', {
      userPool: this.http.userPool,
      functions: this.functions,
      ...(props.sesIdentity ? { sesIdentity: props.sesIdentity } : {}),
      ...(props.identityProviders ? { providers: props.identityProviders } : {}),
    });
    if (props.web !== false) {
      const prefix = this.node.tryGetContext('ledger:signInDomainPrefix') as string | undefined;
      this.web = new LedgerWeb(this, 'Web', {
        http: this.http,
        routes: (props.routes ?? manifest).filter((r) => !r.localOnly),
        accessLogs: this.buckets.accessLogs,
        ...(prefix ? { signInDomainPrefix: prefix } : {}),
        ...(props.domain ? { domain: props.domain } : {}),
        stage: this.stage,
        ...(this.originSecret ? { originSecret: { header: this.originSecret.header, value: this.originSecret.headerValue() } } : {}),
        ...(props.webAclArn ? { webAclArn: props.webAclArn } : {}),
        signIn: this.signIn,
      });
      this.originSecret?.rotateWith(this.functions, this.web.distribution);
      // In production the execute-api address must not be a way around the distribution and its WAF: every route
      // refuses a request without the origin secret (functions/shared/lambda.ts), so each reads the secret.
      if (this.stage === 'production' && this.originSecret) {
        this.functions.setEnvironment('API_BEHIND_CLOUDFRONT', 'true');
        for (const fn of this.functions.routeFunctions()) this.originSecret.secret.grantRead(fn.role);
      }
    }
    this.functions.setEnvironment('LEDGER_STAGE', this.stage);
    this.functions.setEnvironment('PUBLIC_BASE_URL', props.publicBaseUrl ?? this.web?.url ?? this.http.stage.url.replace(/\/$/, ''));
    this.changeFeed = new ChangeFeed(this, 'ChangeFeed', {
      events: this.tables.events,
      consumers: props.consumers ?? streamConsumers,
      functions: this.functions,
    });
    this.workflows = new LedgerWorkflows(this, 'Workflows', {
      workflows,
      functions: this.functions,
      logRetention,
    });
    this.rebuild = new ReadModelRebuild(this, 'ReadModelRebuild', { tables: this.tables, logRetention, stage: this.stage });
    // After the change feed: the referential's events reach the projector's Streams consumer.
    this.startUp = new LedgerStartUp(this, 'StartUp', { functions: this.functions, executeAfter: [this.tables, this.changeFeed] });
    // Last: the alarms watch every function made above, CDK's own included.
    const modules = new Map<IConstruct, string>([
      ...[...this.functions.all()].map(([module, fn]) => [fn.handler.node.defaultChild!, module] as const),
      ...Object.entries(this.rebuild.functions).map(([step, fn]) => [fn.handler.node.defaultChild!, REBUILD_MODULES[step as keyof typeof REBUILD_MODULES]] as const),
    ]);
    this.monitoring = new MonitoringStack(this, 'Monitoring', {
      namePrefix: this.stackName,
      onFailureQueue: this.changeFeed.onFailure,
      scheduleDeadLetters: this.scheduler.deadLetters,
      stateMachines: new Map([...this.workflows.stateMachines, [rebuildReadModelsWorkflow.name, this.rebuild.stateMachine]]),
      api: this.http.api,
      functions: functionsOf(this, modules),
      consumers: this.changeFeed.consumers,
      projectorLogs: this.functions.get('projections/project-change-feed').logGroup,
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
    });
    this.alarms = this.monitoring.alarms;
  }
}

/** `cdk deploy -c ledger:readModels=green`: the switch to the table a rebuild wrote (README, "Rebuilding the read models"). */
function readModelsContext(scope: Construct): ReadModelColour | undefined {
  const value: unknown = scope.node.tryGetContext('ledger:readModels');
  if (value === undefined) return undefined;
  if (value !== 'blue' && value !== 'green') throw new ContextRefusal(`context ledger:readModels must be "blue" or "green", not ${JSON.stringify(value)}`);
  return value;
}
