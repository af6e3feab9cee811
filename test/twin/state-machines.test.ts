import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionHost } from '../../functions/twin/function-host.js';
import { startLocalAws, type LocalAws } from '../../functions/twin/local-aws.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import { stateMachineRunner, taskStates } from '../../functions/twin/state-machines.js';
import type { StackModel } from '../../functions/twin/template.js';
import { SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';

const work = mkdtempSync(join(tmpdir(), 'twin-sfn-'));
let stack: StackModel;
let resolver: Resolver;
let aws: LocalAws;
let host: FunctionHost;

/** The stack with the state machines' roles stripped of their policies: what a missing grant looks like. */
const withoutMachineGrants = (model: StackModel): StackModel => {
  const machineRoles = new Set(model.stateMachines.map((m) => m.roleLogicalId));
  return { ...model, roles: model.roles.map((r) => (machineRoles.has(r.roleLogicalId) ? { ...r, policies: [] } : r)) };
};

beforeAll(async () => {
  stack = await synthesizedStack();
  resolver = createResolver(stack);
  const runners = { normal: undefined as ReturnType<typeof stateMachineRunner> | undefined, stripped: undefined as ReturnType<typeof stateMachineRunner> | undefined };
  aws = await startLocalAws(stack, resolver, {
    dataDir: work,
    // Executions named `stripped-*` run as if the template had not granted the machine its functions.
    runExecution: (execution) => (execution.name.startsWith('stripped-') ? runners.stripped! : runners.normal!)(execution),
  });
  host = new FunctionHost(stack, resolver, aws.gateway, aws.callers);
  runners.normal = stateMachineRunner(stack, resolver, host, { retryIntervalMs: 0 });
  runners.stripped = stateMachineRunner(withoutMachineGrants(stack), createResolver(withoutMachineGrants(stack)), host, { retryIntervalMs: 0 });
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await host?.close();
  await aws?.stop();
  rmSync(work, { recursive: true, force: true });
});

const machineArn = (name: string) => stack.stateMachines.map((m) => resolver.ref(m.logicalId)).find((arn) => arn.endsWith(`-${name}`))!;

/** Starts an execution as the function whose role may start that machine, through the gateway. */
async function start(machine: string, name: string, input: unknown) {
  const arn = machineArn(machine);
  const starter = [...aws.callers.values()].find((c) => JSON.stringify(c.policies).includes(arn))!;
  const env = aws.gateway.environmentFor(starter);
  const sfn = new SFNClient({
    endpoint: env.AWS_ENDPOINT_URL,
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }));
  await expect.poll(() => aws.stepFunctions.executions.get(executionArn!)?.status, { timeout: 60_000 }).not.toBe('RUNNING');
  return aws.stepFunctions.executions.get(executionArn!)!;
}

describe("the template's state machines, run by aws-local-stepfunctions", () => {
  it('finds every Lambda Task of a definition, inside Map bodies too', () => {
    const session = stack.stateMachines.find((m) => resolver.ref(m.logicalId) === machineArn('session'))!;
    const tasks = taskStates(resolver.stateMachineDefinition(session) as never);
    expect(tasks.size).toBeGreaterThan(3);
    for (const state of tasks.values()) expect(host.functionOf(String(state.Resource))).toBeDefined();
  });

  it("fails at the definition's own Fail state, with no function involved", async () => {
    const execution = await start('capitalisation', 'bogus-1', { action: 'bogus' });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'UnknownAction' });
  });

  it("runs a Task's function from its bundle: a domain refusal comes back as the function's errorType", async () => {
    const execution = await start('session', 'missing-1', { sessionId: 'sess-does-not-exist' });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'StepRefused' });
    expect(execution.cause).toMatch(/pv-not-validated|not found|unknown/i);
  }, 90_000);

  it("fails a Task when the machine's role may not invoke its function, as Step Functions is refused", async () => {
    const execution = await start('capitalisation', 'stripped-1', { action: 'recompute', candidateId: 'c-1' });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.AWSLambdaException' });
    expect(execution.cause).toContain('is not authorized to perform: lambda:InvokeFunction');
  }, 90_000);
});
