import { Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { routes as manifest, type RouteEntry } from '../../functions/routes.js';
import { Role } from '../../functions/shared/auth.js';
import { streamConsumers, type StreamConsumer } from '../consumers.js';
import { ChangeFeed } from '../constructs/change-feed.js';
import { LedgerAlarms } from '../constructs/ledger-alarms.js';
import { LedgerBuckets } from '../constructs/ledger-buckets.js';
import { LedgerFunctions } from '../constructs/ledger-functions.js';
import { LedgerHttpApi } from '../constructs/ledger-http-api.js';
import { LedgerKeys, type LedgerKeysProps } from '../constructs/ledger-keys.js';
import { LedgerScheduler } from '../constructs/ledger-scheduler.js';
import { LedgerStartUp } from '../constructs/ledger-start-up.js';
import { LedgerTables } from '../constructs/ledger-tables.js';
import { LedgerWeb } from '../constructs/ledger-web.js';
import { LedgerWorkflows } from '../constructs/ledger-workflows.js';
import { workflows as registeredWorkflows } from '../workflows/index.js';
import type { WorkflowDefinition } from '../workflows/workflow.js';
import type { FunctionAccess } from '../function-access.js';

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
  /** The public host name and its us-east-1 ACM certificate (required in production, ledger-app.ts). */
  domain?: { name: string; certificateArn: string };
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
  readonly alarms: LedgerAlarms;
  readonly startUp: LedgerStartUp;
  readonly web?: LedgerWeb;

  constructor(scope: Construct, id: string, props: LedgerStackProps = {}) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    const workflows = props.workflows ?? registeredWorkflows;

    this.tables = new LedgerTables(this, 'Tables');
    this.buckets = new LedgerBuckets(this, 'Buckets');
    this.keys = new LedgerKeys(this, 'Keys', props.signingKeys ?? {});
    this.scheduler = new LedgerScheduler(this, 'Scheduler');
    this.functions = new LedgerFunctions(this, 'Functions', {
      tables: this.tables,
      buckets: this.buckets,
      keys: this.keys,
      scheduler: this.scheduler,
      workflowNames: workflows.map((w) => w.name),
      logRetention,
      access: props.access ?? {},
      ...(props.sesIdentity ? { sesIdentity: props.sesIdentity } : {}),
    });
    this.http = new LedgerHttpApi(this, 'Http', {
      routes: (props.routes ?? manifest).filter((r) => !r.localOnly),
      functions: this.functions,
      groups: Role.options,
      logRetention,
    });
    if (props.web !== false) {
      const prefix = this.node.tryGetContext('ledger:signInDomainPrefix') as string | undefined;
      this.web = new LedgerWeb(this, 'Web', {
        http: this.http,
        routes: (props.routes ?? manifest).filter((r) => !r.localOnly),
        accessLogs: this.buckets.accessLogs,
        ...(prefix ? { signInDomainPrefix: prefix } : {}),
        ...(props.domain ? { domain: props.domain } : {}),
      });
    }
    this.functions.setEnvironment('PUBLIC_BASE_URL', props.publicBaseUrl ?? this.web?.url ?? this.http.stage.url.replace(/\/$/, ''));
    this.changeFeed = new ChangeFeed(this, 'ChangeFeed', {
      events: this.tables.events,
      consumers: props.consumers ?? streamConsumers,
      functions: this.functions,
    });
    this.workflows = new LedgerWorkflows(this, 'Workflows', {
      workflows,
      functions: this.functions,
      scheduler: this.scheduler,
      logRetention,
    });
    // After the change feed: the referential's events reach the projector's Streams consumer.
    this.startUp = new LedgerStartUp(this, 'StartUp', { functions: this.functions, executeAfter: [this.tables, this.changeFeed] });
    this.alarms = new LedgerAlarms(this, 'Alarms', {
      onFailureQueue: this.changeFeed.onFailure,
      scheduleDeadLetters: this.scheduler.deadLetters,
      stateMachines: this.workflows.stateMachines,
      api: this.http.api,
      functions: this.functions.all(),
      consumers: this.changeFeed.consumers,
      projectorLogs: this.functions.get('projections/project-change-feed').logGroup,
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
    });
  }
}
