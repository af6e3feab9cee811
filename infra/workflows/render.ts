import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { WorkflowDefinition, WorkflowFunctions } from './workflow.js';

const ACCOUNT = '000000000000';
const REGION = 'eu-west-3';

export interface RenderedWorkflow {
  /** Amazon States Language, intrinsics resolved; Task functions are stand-in ARNs. */
  asl: Record<string, unknown>;
  /** Task state name → the handler module under functions/ it invokes (for a local runner's overrides). */
  taskModules: Record<string, string>;
}

/** The stand-in ARN of a module's function in a rendered definition. */
export const localFunctionArn = (module: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${module.replace(/[^A-Za-z0-9-]/g, '_')}`;

/** A workflow definition as ASL, without the stack: what the local runner runs. */
export function renderWorkflow(workflow: WorkflowDefinition): RenderedWorkflow {
  const stack = new Stack(new App(), 'Render', { env: { account: ACCOUNT, region: REGION } });
  const modules = new Map<string, string>();
  const functions: WorkflowFunctions = (module) => {
    const arn = localFunctionArn(module);
    const id = `Fn:${module}`;
    modules.set(arn, module);
    return (stack.node.tryFindChild(id) as lambda.IFunction | undefined) ?? lambda.Function.fromFunctionArn(stack, id, arn);
  };
  const chain = workflow.definition(stack, functions);
  const graph = new sfn.StateGraph(chain.startState, workflow.name);
  const asl = evaluate(stack.resolve(graph.toGraphJson())) as Record<string, unknown>;
  const taskModules: Record<string, string> = {};
  collectTasks(asl, modules, taskModules);
  return { asl, taskModules };
}

/** Resolves the few intrinsics a definition holds once functions are plain ARNs. */
function evaluate(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(evaluate);
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [only] = entries;
  if (entries.length === 1 && only) {
    const [key, arg] = only;
    if (key === 'Ref') {
      const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
      if (typeof arg === 'string' && pseudo[arg]) return pseudo[arg];
      throw new Error(`cannot render a reference to ${JSON.stringify(arg)} locally`);
    }
    if (key === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return parts.map(evaluate).join(sep);
    }
    if (key.startsWith('Fn::')) throw new Error(`cannot render ${key} locally`);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(v)]));
}

function collectTasks(node: unknown, modules: Map<string, string>, out: Record<string, string>) {
  if (!node || typeof node !== 'object') return;
  const states = (node as { States?: Record<string, Record<string, unknown>> }).States;
  for (const [name, state] of Object.entries(states ?? {})) {
    if (state.Type === 'Task') {
      const args = (state.Parameters ?? state.Arguments ?? {}) as Record<string, unknown>;
      const target = [args.FunctionName, state.Resource].find((v) => typeof v === 'string' && modules.has(v)) as string | undefined;
      if (target) out[name] = modules.get(target)!;
    }
    for (const branch of (state.Branches as unknown[] | undefined) ?? []) collectTasks(branch, modules, out);
    collectTasks(state.ItemProcessor ?? state.Iterator, modules, out);
  }
}
