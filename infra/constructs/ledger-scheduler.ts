import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { stackInstanceSuffix } from '../names.js';

/**
 * The Scheduler port in AWS (DESIGN.md §3 "Workflows"): one-time EventBridge Scheduler schedules, in their
 * own group, that start a workflow at a date more than a Standard execution's year away (usableUntil
 * checks, reminders). The role is what the schedules run as; LedgerWorkflows lets it start each workflow.
 */
export class LedgerScheduler extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  /** Schedules whose target kept failing (alarmed on). */
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Retained (its schedules are the ledger's pending timers): suffixed by the stack instance, so a stack created
    // again after `cdk destroy` makes its own group instead of failing on the old one's name.
    this.group = new scheduler.ScheduleGroup(this, 'Group', { scheduleGroupName: `${Stack.of(this).stackName}-timers-${stackInstanceSuffix()}` });
    this.role = new iam.Role(this, 'Role', {
      description: 'Assumed by EventBridge Scheduler to start the ledger workflows',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    acknowledge(this.deadLetters, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of the schedules; it is alarmed on, not consumed.');
    this.deadLetters.grantSendMessages(this.role);
  }

  /** Create, read, update and delete schedules of this group, and pass them the scheduler role. */
  grantManageSchedules(grantee: iam.IGrantable) {
    const schedules = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
    });
    // Create only: a timer is never changed (a new purpose is a new name) and deletes itself after it fires.
    iam.Grant.addToPrincipal({ grantee, actions: ['scheduler:CreateSchedule'], resourceArns: [schedules] });
    // The schedules' role may be handed to EventBridge Scheduler only.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    if (grantee instanceof Construct) {
      acknowledge(grantee, 'AwsSolutions-IAM5', "Schedules are named at run time (one per timer); the grant is limited to the ledger's schedule group.", [
        /^Resource::arn:[^:]+:scheduler:[^:]+:.+:schedule\/[^/]+-timers-.+\/\*$/,
      ]);
    }
  }
}
