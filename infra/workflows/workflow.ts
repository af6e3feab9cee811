import type { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

/**
 * The Lambda function of a handler module under functions/ (`sessions/issue-certificates`), created on
 * first use with the access that infra/function-access.ts gives that module. Locally (render.ts), a stand-in.
 */
export type WorkflowFunctions = (module: string) => lambda.IFunction;

/**
 * One Step Functions workflow, defined once with aws-cdk-lib's stepfunctions constructs: the stack deploys
 * it (Standard, logging ALL, tracing) and the local runner runs its rendered ASL (render.ts).
 */
export interface WorkflowDefinition {
  /** Kebab-case: `session`. State machine `<stack>-<name>`; its ARN is in every function's environment as `<NAME>_STATE_MACHINE_ARN`. */
  name: string;
  /** The states. Create them in `scope`; get each Task's function from `functions`. */
  definition: (scope: Construct, functions: WorkflowFunctions) => sfn.IChainable;
  /** @default - none (a Standard execution stops after one year anyway) */
  timeout?: Duration;
}

export { stateMachineArnVariable } from '../../functions/composition/config.js';
