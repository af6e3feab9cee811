import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { COMMIT_OVERWRITTEN } from '../../functions/projections/project-change-feed.js';

/** `projections/project-change-feed` → `ProjectionsProjectChangeFeed`. */
const idOf = (module: string) =>
  module
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/** Errors and throttles of five functions: ten metrics, the most an alarm's metric math takes. */
const FUNCTIONS_PER_ALARM = 5;

/** API 5xx responses over 5 minutes that raise the alarm. */
export const API_5XX_THRESHOLD = 5;

/** How far behind the change feed may run before someone is told (the read models lag by that much). */
export const ITERATOR_AGE_THRESHOLD = Duration.minutes(5);

export interface LedgerAlarmsProps {
  onFailureQueue: sqs.IQueue;
  /** Schedules whose target kept failing. */
  scheduleDeadLetters: sqs.IQueue;
  stateMachines: ReadonlyMap<string, sfn.IStateMachine>;
  api: apigw.IHttpApi;
  /** Every function of the ledger: its errors and throttles. */
  functions: ReadonlyMap<string, { handler: lambda.IFunction; logGroup: logs.ILogGroup }>;
  /** The change-feed consumers: how far behind they run (IteratorAge). */
  consumers: ReadonlyMap<string, { handler: lambda.IFunction }>;
  /** The projector's log group, where an overwritten commit is logged. */
  projectorLogs: logs.ILogGroup;
  /** Subscribed to the alarm topic when given. */
  email?: string;
}

/**
 * What an operator must hear about, sent to one encrypted SNS topic: change-feed records parked in the
 * on-failure queue (a projection is behind until they are replayed), failed workflow executions, and
 * API 5xx responses.
 */
export class LedgerAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: LedgerAlarmsProps) {
    super(scope, id);
    // CloudWatch can only publish to a topic encrypted with a customer managed key whose policy lets it.
    const key = new kms.Key(this, 'TopicKey', { description: 'certification-ledger: alarm topic', enableKeyRotation: true });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'certification-ledger alarms', masterKey: key, enforceSSL: true });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    const action = new SnsAction(this.topic);

    const add = (id: string, description: string, metric: cloudwatch.IMetric, threshold: number) => {
      const alarm = new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: threshold === 0 ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
      return alarm;
    };

    add(
      'ChangeFeedOnFailure',
      'Change-feed records failed every retry and are parked in the on-failure queue: a projection is behind until they are replayed.',
      props.onFailureQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      0,
    );
    add(
      'ScheduleDeadLetters',
      'A timer (a reminder or a usability check) could not start its workflow after every retry: it sits in the schedules dead-letter queue.',
      props.scheduleDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      0,
    );
    for (const [name, machine] of props.stateMachines) {
      add(`Workflow-${name}-Failed`, `Executions of the ${name} workflow failed.`, machine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }), 1);
      add(
        `Workflow-${name}-TimedOut`,
        `Executions of the ${name} workflow timed out.`,
        machine.metricTimedOut({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        1,
      );
    }
    for (const [module, { handler }] of props.consumers) {
      add(
        `IteratorAge-${idOf(module)}`,
        `${module} reads the change feed more than ${ITERATOR_AGE_THRESHOLD.toMinutes()} minutes behind: read models or reactions lag.`,
        handler.metric('IteratorAge', { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        ITERATOR_AGE_THRESHOLD.toMilliseconds(),
      );
    }
    // Errors and throttles of every function, five functions to an alarm (an alarm's metric math takes ten metrics
    // at most), so that the alarms stay a few and the stack far under CloudFormation's 500 resources; the alarm's
    // description names its functions, and each function's own metrics say which one it was.
    const functions = [...props.functions];
    for (let i = 0; i < functions.length; i += FUNCTIONS_PER_ALARM) {
      const group = functions.slice(i, i + FUNCTIONS_PER_ALARM);
      const usingMetrics: Record<string, cloudwatch.IMetric> = {};
      group.forEach(([, { handler }], j) => {
        usingMetrics[`e${j}`] = handler.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM });
        usingMetrics[`t${j}`] = handler.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM });
      });
      add(
        `FunctionFailures${i / FUNCTIONS_PER_ALARM + 1}`,
        `Errors (time-outs included) or throttles in the last 5 minutes of: ${group.map(([module]) => module).join(', ')}.`,
        new cloudwatch.MathExpression({ expression: Object.keys(usingMetrics).join(' + '), usingMetrics, period: Duration.minutes(5) }),
        1,
      );
    }
    // A commit is never modified nor deleted: the projector logs any MODIFY or REMOVE record of the events table.
    const overwritten = new logs.MetricFilter(this, 'CommitOverwrittenFilter', {
      logGroup: props.projectorLogs,
      filterPattern: logs.FilterPattern.literal(`"${COMMIT_OVERWRITTEN}"`),
      metricNamespace: 'CertificationLedger',
      metricName: 'CommitsOverwritten',
      metricValue: '1',
      defaultValue: 0,
    });
    add(
      'CommitOverwritten',
      'A commit of the events table was modified or deleted: the ledger was tampered with (run verify-ledger).',
      overwritten.metric({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
      1,
    );
    add(
      'Api5xx',
      `The HTTP API answered ${API_5XX_THRESHOLD} or more 5xx in 5 minutes.`,
      props.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      API_5XX_THRESHOLD,
    );
  }
}
