import { REQUIRED_AWS_VARIABLES } from '../../functions/composition/config.js';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as sfnLib from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerApp, type LedgerAppOptions } from '../../infra/ledger-app.js';
import { workflows } from '../../infra/workflows/index.js';
import type { LedgerStack, LedgerStackProps } from '../../infra/stacks/ledger-stack.js';
import type { WorkflowDefinition } from '../../infra/workflows/workflow.js';

/** Cold synthesis (aws-cdk-lib import + synth) takes seconds on 2 cores. */
export const SYNTH_TIMEOUT = 120_000;

/**
 * The app as `cdk synth` builds it, without bundling (the bundles bench builds them for real): the template
 * is the same but for the asset hashes.
 */
export function synthesize(options: LedgerAppOptions = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'ledger-infra-'));
  const { app, stack } = ledgerApp({ nag: false, ...options, outdir, context: { 'aws:cdk:bundling-stacks': [], ...options.context } });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;
  return { app, stack, template, resources, monitoring: monitoringOf(stack, resources) };
}

/**
 * The nested stack of the alarms (infra/stacks/monitoring-stack.ts), its resources read as the parent's: each
 * `{ Ref: <parameter> }` replaced by what the parent passes it (`{ Ref: <function> }`, `{ Fn::GetAtt: [<queue>, …] }`),
 * so an alarm's dimensions name the parent's resources by their logical ids.
 */
export function monitoringOf(stack: LedgerStack, resources: Record<string, CfnResourceJson>) {
  const nested = Template.fromStack(stack.monitoring).toJSON() as { Resources: Record<string, CfnResourceJson>; Parameters?: Record<string, unknown> };
  const resourceId = stack.resolve(stack.monitoring.nestedStackResource!.logicalId) as string;
  const passed = (resources[resourceId]!.Properties.Parameters ?? {}) as Record<string, unknown>;
  const substitute = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(substitute);
    if (value && typeof value === 'object') {
      const ref = (value as { Ref?: unknown }).Ref;
      if (typeof ref === 'string' && Object.keys(value).length === 1 && ref in passed) return passed[ref];
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
    }
    return value;
  };
  return {
    /** The nested stack's logical id in the parent. */
    resourceId,
    resources: substitute(nested.Resources) as Record<string, CfnResourceJson>,
    /** As synthesized, parameters unresolved (the nested template's Metadata, cdk-nag's suppressions). */
    raw: nested,
    parameters: Object.keys(nested.Parameters ?? {}),
  };
}

export interface CfnResourceJson {
  Type: string;
  Properties: Record<string, any>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  Metadata?: Record<string, any>;
}

/** A value for each variable the composition requires at cold start (functions/composition/config.ts). */
export const sampleAwsEnvironment = (): Record<string, string> =>
  Object.fromEntries(REQUIRED_AWS_VARIABLES.map((n) => [n, n === 'PUBLIC_BASE_URL' ? 'https://ledger.example' : `test-${n.toLowerCase()}`]));

export const logicalIdOf = (stack: Stack, construct: IConstruct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string[]>>;
}

/**
 * Every identity policy of the template with the roles it is attached to: the inline policies of each role (the
 * ledger's functions keep their grants there) and the standalone AWS::IAM::Policy resources (CDK's default policies).
 */
export function identityPolicies(resources: Record<string, CfnResourceJson>): { roles: string[]; statements: Statement[] }[] {
  return Object.entries(resources).flatMap(([id, r]) => {
    if (r.Type === 'AWS::IAM::Role') {
      return ((r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).map((p) => ({ roles: [id], statements: p.PolicyDocument.Statement }));
    }
    if (r.Type === 'AWS::IAM::Policy') {
      return [{ roles: (r.Properties.Roles as { Ref?: string }[]).flatMap((ref) => (ref.Ref ? [ref.Ref] : [])), statements: r.Properties.PolicyDocument.Statement as Statement[] }];
    }
    return [];
  });
}

/** Every statement of the identity policies attached to a role (by its logical id). */
export function statementsOfRole(resources: Record<string, CfnResourceJson>, roleId: string): Statement[] {
  return identityPolicies(resources)
    .filter((p) => p.roles.includes(roleId))
    .flatMap((p) => p.statements);
}

/** The actions the statements allow (a Deny statement narrows them and is asserted on its own). */
export const actionsOf = (statements: Statement[]) => statements.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** Any action that changes state somewhere. */
export const WRITE_ACTION =
  /^(dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|PartiQL(Insert|Update|Delete)|\*)|s3:(Put|Delete|Restore|\*)|sqs:(SendMessage|DeleteMessage|\*)|sns:Publish|states:(Start|Stop|SendTask)|scheduler:(Create|Update|Delete)|ses:Send|kms:(Sign|Encrypt|GenerateDataKey|ReEncrypt|\*)|lambda:Invoke|cognito-idp:(Admin(Create|Add|Disable|Enable|Delete|Update|Set|Remove|Reset)|\*))/;

/** A workflow made up for the tests: two Task states on two existing modules. */
export const sampleWorkflow: WorkflowDefinition = {
  name: 'sample-flow',
  definition: (scope, functions) =>
    new tasks.LambdaInvoke(scope, 'Read certification', { lambdaFunction: functions('certifications/get-certification'), payloadResponseOnly: true })
      .next(new tasks.LambdaInvoke(scope, 'Check health', { lambdaFunction: functions('health/get-health') }))
      .next(new sfnLib.Succeed(scope, 'Done')) as sfn.IChainable,
};

/** The stack grown the way the coming issues will grow it: a workflow, a public verify route, every kind of access. */
export const extendedStack: LedgerStackProps = {
  workflows: [...workflows, sampleWorkflow],
  routes: [
    { method: 'GET', path: '/verify/{code}', auth: 'public', module: 'certifications/get-certification' },
    { method: 'GET', path: '/health', auth: 'public', module: 'health/get-health' },
    { method: 'POST', path: '/candidates', auth: ['centre'], module: 'candidates/register-candidate' },
  ],
  access: {
    'certifications/get-certification': { readModels: 'read', rateLimit: 'write', signing: 'publicKey' },
    'candidates/register-candidate': {
      events: 'append',
      idempotency: 'write',
      vault: 'write',
      documents: 'write',
      exports: 'read',
      signing: 'sign',
      email: true,
      schedules: ['sample-flow'],
      startsWorkflows: ['sample-flow'],
    },
  },
};

type AslState = { Type: string; Resource?: string; Parameters?: { FunctionName?: string }; ItemProcessor?: Asl; Iterator?: Asl; Branches?: Asl[] };
export type Asl = { StartAt: string; States: Record<string, AslState> };

/** A state machine's definition, with each `Fn::GetAtt [id, Arn]` written `<<id>>`. */
export function definitionOf(machine: CfnResourceJson): Asl {
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  const text = parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const getAtt = (p as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (getAtt) return `<<${getAtt[0]}>>`;
      if ((p as { Ref?: string }).Ref === 'AWS::Partition') return 'aws';
      throw new Error(`unexpected part ${JSON.stringify(p)}`);
    })
    .join('');
  return JSON.parse(text) as Asl;
}

/** Task state name → what it invokes (`<<logicalId>>` or an ARN), nested Map and Parallel states included. */
export function taskTargets(asl: Asl, out: Record<string, string> = {}): Record<string, string> {
  for (const [name, state] of Object.entries(asl.States)) {
    if (state.Type === 'Task') out[name] = state.Parameters?.FunctionName ?? state.Resource ?? '';
    for (const inner of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) if (inner) taskTargets(inner, out);
  }
  return out;
}
