import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
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

/** API 5xx responses over 5 minutes that raise the alarm. */
export const API_5XX_THRESHOLD = 5;

/** How far behind the change feed may run before someone is told (the read models lag by that much). */
export const ITERATOR_AGE_THRESHOLD = Duration.minutes(5);

export interface LedgerAlarmsProps {
  onFailureQueue: sqs.IQueue;
  /** Schedules whose target kept failing. */
  scheduleDeadLetters: sqs.IQueue;
  /** The workflows and the read-model rebuild, by name: their failed and timed-out executions. */
  stateMachines: ReadonlyMap<string, sfn.IStateMachine>;
  api: apigw.IHttpApi;
  /**
   * Every Lambda function of the stack (the ledger's, the rebuild's and those CDK adds), by what an operator knows it
   * as (a module, else a construct path) → its function name: an errors alarm and a throttles alarm each.
   */
  functions: ReadonlyMap<string, string>;
  /** The change-feed consumers: how far behind they run (IteratorAge). */
  consumers: ReadonlyMap<string, { handler: lambda.IFunction }>;
  /** The projector's log group, where an overwritten commit is logged. */
  projectorLogs: logs.ILogGroup;
  /** Subscribed to the alarm topic when given. */
  email?: string;
  /** Begins every alarm's name (the parent stack's name): two stages in one account and region stay apart. */
  namePrefix: string;
}

/**
 * What an operator must hear about, sent to one encrypted SNS topic: change-feed records parked in the
 * on-failure queue (a projection is behind until they are replayed), schedules that could not be delivered,
 * failed and timed-out executions, a change-feed consumer running behind, errors and throttles of each
 * function, an overwritten commit, and API 5xx responses. Each alarm is named after what it watches (the
 * notification's subject is `ALARM: "<name>" in <region>`), so the email says which function or workflow.
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

    const add = (id: string, description: string, metric: cloudwatch.IMetric, threshold: number, name = id) => {
      const alarm = new cloudwatch.Alarm(this, id, {
        alarmName: `${props.namePrefix}-${name}`,
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
        `IteratorAge-${module}`,
      );
    }
    // One alarm per function and metric, named after the function's module: an alarm over several functions
    // would not say which one failed. (A Metrics Insights alarm grouped by FunctionName was weighed: its WHERE
    // takes only = and !=, so it could not keep to this stack's generated function names; README, "Alarms".)
    for (const [label, functionName] of props.functions) {
      const lambdaMetric = (metricName: string) =>
        new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, dimensionsMap: { FunctionName: functionName }, period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM });
      add(
        `Errors-${idOf(label)}`,
        `${label} failed (an error, a time-out or out of memory) in the last 5 minutes: its log group says why.`,
        lambdaMetric('Errors'),
        1,
        `Errors-${label}`,
      );
      add(
        `Throttles-${idOf(label)}`,
        `${label} was throttled in the last 5 minutes: the account's Lambda concurrency ran out and invocations were refused.`,
        lambdaMetric('Throttles'),
        1,
        `Throttles-${label}`,
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
