import { beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStack } from '../../infra/stacks/ledger-stack.js';
import { type CfnResourceJson, logicalIdOf, SYNTH_TIMEOUT, synthesize } from './support.js';

let stack: LedgerStack;
let resources: Record<string, CfnResourceJson>;

beforeAll(() => {
  ({ stack, resources } = synthesize({}));
}, SYNTH_TIMEOUT);

/** Whether a value holds a literal string only (no reference, no intrinsic): a name fixed at synthesis. */
const literal = (value: unknown): boolean => typeof value === 'string';
/** The stack's id, the one value CloudFormation draws anew each time the stack is created. */
const mentionsStackId = (value: unknown) => JSON.stringify(value).includes('"Ref":"AWS::StackId"');

describe('redeploying after `cdk destroy` (issue 18)', () => {
  it('no retained resource has a name fixed at synthesis: a stack created again does not collide with what the old one left', () => {
    const retained = Object.entries(resources).filter(([, r]) => r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'RetainExceptOnCreate');
    expect(retained.length).toBeGreaterThan(10);
    const fixed = retained.flatMap(([id, r]) =>
      Object.entries(r.Properties ?? {})
        .filter(([key, value]) => /Name$/.test(key) && key !== 'DisplayName' && literal(value))
        .map(([key]) => `${id}.${key}`),
    );
    expect(fixed).toEqual([]);
  });

  it('the retained names that must exist (state machine logs under /aws/vendedlogs, the timers’ group) carry the stack instance', () => {
    const group = resources[logicalIdOf(stack, stack.scheduler.group)]!;
    expect(group.DeletionPolicy).toBe('Retain');
    expect(mentionsStackId(group.Properties.Name)).toBe(true);
    const stateMachineLogs = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Logs::LogGroup' && JSON.stringify(r.Properties.LogGroupName ?? '').includes('/aws/vendedlogs/states/'),
    );
    // The workflows' and the read-model rebuild's.
    expect(stateMachineLogs).toHaveLength(stack.workflows.stateMachines.size + 1);
    for (const logs of stateMachineLogs) {
      expect(logs.DeletionPolicy).toBe('Retain');
      expect(mentionsStackId(logs.Properties.LogGroupName)).toBe(true);
    }
    // Functions are given the same, deployed name.
    const fn = resources[logicalIdOf(stack, stack.functions.get('workflows/plan-usability-timers').handler)]!;
    expect(fn.Properties.Environment.Variables.SCHEDULER_GROUP).toEqual(group.Properties.Name);
  });
});
