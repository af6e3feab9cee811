import { CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import type { Construct, IConstruct } from 'constructs';
import { LedgerAlarms, type LedgerAlarmsProps } from '../constructs/ledger-alarms.js';

/**
 * The alarms, their topic and its subscription, in a nested stack of their own: one alarm per function and metric
 * is some 160 alarms, which the ledger's stack, near CloudFormation's 500 resources, cannot hold. The nested
 * stack is one resource of its parent; what the alarms watch reaches it as parameters (one per referenced name,
 * 200 at most, test/infra/ledger-stack.test.ts).
 */
export class MonitoringStack extends NestedStack {
  readonly alarms: LedgerAlarms;

  constructor(scope: Construct, id: string, props: LedgerAlarmsProps) {
    super(scope, id, { description: 'certification-ledger: alarms and the topic they notify' });
    this.alarms = new LedgerAlarms(this, 'Alarms', props);
  }
}

/**
 * Every Lambda function of `stack` (not of its nested stacks), the ones CDK adds included (a Trigger's provider, a
 * BucketDeployment's handler), by what an operator knows it as: the module `modules` gives it, else its construct
 * path in the stack (`Web/Custom::CDKBucketDeployment…`).
 */
export function functionsOf(stack: Stack, modules: ReadonlyMap<IConstruct, string>): Map<string, string> {
  const byLabel = new Map<string, string>();
  for (const c of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || c.cfnResourceType !== 'AWS::Lambda::Function' || Stack.of(c) !== stack) continue;
    const label = modules.get(c) ?? c.node.path.slice(stack.node.path.length + 1).replace(/\/Resource$/, '');
    if (byLabel.has(label)) throw new Error(`two functions are known as ${label}: their alarms would share a name`);
    byLabel.set(label, c.ref);
  }
  return byLabel;
}
