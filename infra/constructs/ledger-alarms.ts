import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** API 5xx responses over 5 minutes that raise the alarm. */
export const API_5XX_THRESHOLD = 5;

export interface LedgerAlarmsProps {
  onFailureQueue: sqs.IQueue;
  stateMachines: ReadonlyMap<string, sfn.IStateMachine>;
  api: apigw.IHttpApi;
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
        comparisonOperator:
          threshold === 0 ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
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
    for (const [name, machine] of props.stateMachines) {
      add(
        `Workflow-${name}-Failed`,
        `Executions of the ${name} workflow failed.`,
        machine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        1,
      );
    }
    add(
      'Api5xx',
      `The HTTP API answered ${API_5XX_THRESHOLD} or more 5xx in 5 minutes.`,
      props.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      API_5XX_THRESHOLD,
    );
  }
}
