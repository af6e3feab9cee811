import { StateMachine } from 'aws-local-stepfunctions';
import { authorise, type Caller } from './authorise.js';
import type { FunctionHost } from './function-host.js';
import type { Execution, ExecutionRunner } from './local-services.js';
import type { Resolver } from './resolver.js';
import type { StackModel } from './template.js';
// aws-local-stepfunctions needs Promise.withResolvers, which Node 20 lacks.
import '../shared/polyfills.js';

/**
 * The state machines of the template run by aws-local-stepfunctions from their own DefinitionString: each
 * Lambda Task invokes the twin's function, after the state machine's role is checked for
 * lambda:InvokeFunction on it, as Step Functions would be refused.
 */

/** What the runner passes between states (its own JSONValue type is not exported). */
type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };

type Asl = { States?: Record<string, Record<string, unknown>> };

/** Every Task state of a definition, Map and Parallel bodies included, by name (how the runner keys overrides). */
export function taskStates(asl: Asl): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  const walk = (a: Asl | undefined) => {
    for (const [name, state] of Object.entries(a?.States ?? {})) {
      if (state.Type === 'Task') found.set(name, state);
      walk((state.ItemProcessor ?? state.Iterator) as Asl | undefined);
      for (const branch of (state.Branches as Asl[] | undefined) ?? []) walk(branch);
    }
  };
  walk(asl);
  return found;
}

/** A failed Task as Step Functions names it: the function's errorType is the error Retry and Catch match. */
class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The error an execution failed with, as Step Functions reports it (the runner wraps it in ExecutionError). */
function failureOf(e: unknown): Error {
  let error = e as Error & { cause?: unknown };
  while ((error.name === 'ExecutionError' || error.name === 'RuntimeError') && error.cause instanceof Error) error = error.cause as Error & { cause?: unknown };
  return error;
}

export function stateMachineRunner(model: StackModel, resolver: Resolver, host: FunctionHost, options: { retryIntervalMs?: number } = {}): ExecutionRunner {
  const machines = new Map(
    model.stateMachines.map((m) => {
      const arn = resolver.ref(m.logicalId);
      const roleName = m.roleLogicalId ? resolver.ref(m.roleLogicalId) : 'none';
      const role: Caller | undefined = m.roleLogicalId
        ? {
            functionLogicalId: m.logicalId,
            functionName: arn.split(':').at(-1)!,
            roleArn: resolver.getAtt(m.roleLogicalId, 'Arn'),
            roleName,
            sessionArn: `arn:aws:sts::${resolver.account}:assumed-role/${roleName}/${arn.split(':').at(-1)}`,
            accountId: resolver.account,
            policies: resolver.rolePolicies(m.roleLogicalId),
          }
        : undefined;
      return [arn, { definition: resolver.stateMachineDefinition(m), role, name: arn.split(':').at(-1)! }];
    }),
  );

  const invokeAs = async (role: Caller | undefined, functionRef: string, payload: unknown) => {
    const fn = host.functionOf(functionRef);
    if (!fn) throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${functionRef}`);
    const functionArn = resolver.getAtt(fn.logicalId, 'Arn');
    if (!role) throw new TaskError('Lambda.AWSLambdaException', 'the state machine has no role');
    const decision = await authorise(role, { action: 'lambda:InvokeFunction', resource: functionRef.startsWith('arn:') ? functionRef : functionArn });
    if (!decision.allowed) throw new TaskError('Lambda.AWSLambdaException', decision.message);
    const out = await host.invoke(fn.logicalId, payload);
    if (!out.ok) throw new TaskError(out.error.errorType, out.error.errorMessage);
    return out.result;
  };

  return async (execution: Execution) => {
    const machine = machines.get(execution.stateMachineArn);
    if (!machine) throw new Error(`no state machine ${execution.stateMachineArn}`);
    const handlers: Record<string, (input: JSONValue) => Promise<JSONValue>> = {};
    const retries: Record<string, number> = {};
    for (const [name, state] of taskStates(machine.definition as Asl)) {
      const resource = String(state.Resource ?? '');
      if (resource.startsWith('arn:aws:lambda:')) handlers[name] = async (input) => (await invokeAs(machine.role, resource, input)) as JSONValue;
      else if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
        // The optimised integration: the runner hands over the resolved Parameters and expects Lambda's reply.
        handlers[name] = async (params) => {
          const { FunctionName, Payload } = params as { FunctionName: string; Payload?: JSONValue };
          return { Payload: (await invokeAs(machine.role, FunctionName, Payload ?? null)) as JSONValue, StatusCode: 200, ExecutedVersion: '$LATEST' };
        };
      } else
        handlers[name] = async () => {
          throw new TaskError('States.Runtime', `the twin does not run the ${resource} integration`);
        };
      if (options.retryIntervalMs !== undefined) retries[name] = options.retryIntervalMs;
    }
    // The runner mutates the definition it is given: each execution gets its own copy.
    const run = new StateMachine(structuredClone(machine.definition) as never, { validationOptions: { checkPaths: true, checkArn: false } }).run(
      JSON.parse(execution.input) as never,
      {
        overrides: { taskResourceLocalHandlers: handlers, ...(options.retryIntervalMs !== undefined ? { retryIntervalOverrides: retries } : {}) },
        context: {
          Execution: {
            Id: execution.executionArn,
            Name: execution.name,
            StartTime: new Date(execution.startDate * 1000).toISOString(),
            Input: JSON.parse(execution.input),
            RoleArn: machine.role?.roleArn ?? '',
          },
          StateMachine: { Id: execution.stateMachineArn, Name: machine.name },
        },
      },
    );
    try {
      return await run.result;
    } catch (e) {
      throw failureOf(e);
    }
  };
}
