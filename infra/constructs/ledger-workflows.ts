import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { stackInstanceSuffix } from '../names.js';
import type { WorkflowDefinition } from '../workflows/workflow.js';
import { constructIdOf, stateMachineName, type LedgerFunctions } from './ledger-functions.js';

export interface LedgerWorkflowsProps {
  workflows: readonly WorkflowDefinition[];
  functions: LedgerFunctions;
  logRetention: logs.RetentionDays;
}

/**
 * The state machines, one per definition in infra/workflows: Standard, named `<stack>-<name>` (so functions
 * know the ARN without a dependency), execution history logged at level ALL, X-Ray tracing. The Task
 * functions come from the shared registry, with their grants (the scheduler role's among them: it may start the
 * workflows a function schedules, infra/function-access.ts `schedules`).
 */
export class LedgerWorkflows extends Construct {
  readonly stateMachines = new Map<string, sfn.StateMachine>();

  constructor(scope: Construct, id: string, props: LedgerWorkflowsProps) {
    super(scope, id);
    const names = new Set<string>();
    for (const workflow of props.workflows) {
      if (!/^[a-z][a-z0-9-]*$/.test(workflow.name) || names.has(workflow.name)) throw new Error(`bad or duplicate workflow name "${workflow.name}"`);
      names.add(workflow.name);
      const scopeOf = new Construct(this, constructIdOf(workflow.name));
      const name = stateMachineName(this, workflow.name);
      // Under /aws/vendedlogs (one CloudWatch Logs resource policy covers them all) and retained: suffixed by the
      // stack instance, so a redeployment after `cdk destroy` does not collide with the old, retained group.
      const logGroup = new logs.LogGroup(scopeOf, 'Logs', {
        logGroupName: `/aws/vendedlogs/states/${name}-${stackInstanceSuffix()}`,
        retention: props.logRetention,
      });
      const definition = workflow.definition(new Construct(scopeOf, 'States'), (module) => props.functions.get(module, { timeout: Duration.seconds(60) }).handler);
      const machine = new sfn.StateMachine(scopeOf, 'StateMachine', {
        stateMachineName: name,
        stateMachineType: sfn.StateMachineType.STANDARD,
        definitionBody: sfn.DefinitionBody.fromChainable(definition),
        // Every event, without the states' input and output: they carry the certificate codes issued (issue 18).
        logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
        tracingEnabled: true,
        ...(workflow.timeout ? { timeout: workflow.timeout } : {}),
      });
      this.stateMachines.set(workflow.name, machine);
      acknowledge(machine.role, 'AwsSolutions-IAM5', 'X-Ray tracing and CloudWatch Logs delivery only accept Resource "*" (test/infra checks that no other action gets it).', [
        'Resource::*',
      ]);
      acknowledge(machine.role, 'AwsSolutions-IAM5', "lambda:InvokeFunction on the Task functions' versions and aliases (<function ARN>:*), as CDK grants it for Lambda tasks.", [
        /^Resource::<[A-Za-z0-9]+\.Arn>:\*$/,
      ]);
    }
  }
}
