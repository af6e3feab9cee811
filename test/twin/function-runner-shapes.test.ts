import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionRunner, functionEnvironment } from '../../functions/twin/function-runner.js';
import { createResolver } from '../../functions/twin/resolver.js';
import { readStack, type StackModel } from '../../functions/twin/template.js';

/**
 * How the runner behaves where the ledger's bundles never go: a handler that outlives its timeout, one that
 * throws, one that kills its process, one that is not exported. Each is a real asset of a stack synthesised
 * by aws-cdk-lib.
 */
const work = mkdtempSync(join(tmpdir(), 'twin-runner-shapes-'));
let stack: StackModel;
const runners: FunctionRunner[] = [];

const HANDLERS = `
export const slow = async () => { await new Promise((r) => setTimeout(r, 5000)); return 'late'; };
export const fails = async () => { const e = new Error('refused'); e.name = 'StepRefused'; throw e; };
export const dies = async () => { process.exit(3); };
export const env = async (event, context) => ({ keys: Object.keys(process.env).sort(), name: context.functionName, remaining: context.getRemainingTimeInMillis(), event });
export const callback = (event, context, done) => { done(null, { via: 'callback' }); };
`;

beforeAll(() => {
  const assetDir = join(work, 'asset');
  mkdirSync(assetDir);
  writeFileSync(join(assetDir, 'main.mjs'), HANDLERS);
  const app = new App({ outdir: join(work, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
  const s = new Stack(app, 'Runner');
  const code = lambda.Code.fromAsset(assetDir);
  for (const [id, handler, timeout] of [
    ['Slow', 'main.slow', 1],
    ['Fails', 'main.fails', 5],
    ['Dies', 'main.dies', 5],
    ['Env', 'main.env', 7],
    ['Callback', 'main.callback', 5],
    ['Missing', 'main.nothing', 5],
  ] as const) {
    new lambda.Function(s, id, { runtime: lambda.Runtime.NODEJS_22_X, handler, code, timeout: Duration.seconds(timeout), environment: { STAGE: `stage-${id}` } });
  }
  app.synth();
  stack = readStack(join(work, 'cdk.out'));
}, 120_000);

afterAll(async () => {
  for (const r of runners) await r.close();
  rmSync(work, { recursive: true, force: true });
});

const runnerOf = (handler: string) => {
  const fn = stack.functions.find((f) => f.handler === handler)!;
  const resolver = createResolver(stack);
  const runner = new FunctionRunner(fn, {
    functionName: resolver.ref(fn.logicalId),
    functionArn: resolver.getAtt(fn.logicalId, 'Arn'),
    environment: functionEnvironment(fn, resolver),
  });
  runners.push(runner);
  return runner;
};

describe('the function runner', () => {
  it("stops an invocation at the template's timeout and discards its container", async () => {
    const runner = runnerOf('main.slow');
    const out = await runner.invoke({});
    expect(out).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' } });
    await expect.poll(() => runner.containerCount).toBe(0);
  }, 30_000);

  it('returns a thrown error with its name, as Lambda reports errorType, and keeps the container', async () => {
    const runner = runnerOf('main.fails');
    const out = await runner.invoke({});
    expect(out).toMatchObject({ ok: false, error: { errorType: 'StepRefused', errorMessage: 'refused' } });
    expect(runner.containerCount).toBe(1);
  }, 30_000);

  it('reports a process that exits as Runtime.ExitError, and starts cold the next time', async () => {
    const runner = runnerOf('main.dies');
    expect(await runner.invoke({})).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
    expect(await runner.invoke({})).toMatchObject({ coldStart: true });
  }, 30_000);

  it('reports a handler the module does not export as Runtime.HandlerNotFound', async () => {
    expect(await runnerOf('main.nothing').invoke({})).toMatchObject({ ok: false, error: { errorType: 'Runtime.HandlerNotFound' } });
  }, 30_000);

  it("gives the handler the template's environment and Lambda's, nothing of the host's, and a context", async () => {
    process.env.TWIN_HOST_SECRET = 'must not leak';
    const out = await runnerOf('main.env').invoke({ hello: 'world' });
    delete process.env.TWIN_HOST_SECRET;
    expect(out.ok).toBe(true);
    const result = (out.ok ? out.result : {}) as { keys: string[]; name: string; remaining: number; event: unknown };
    expect(result.keys).toEqual(expect.arrayContaining(['STAGE', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'LAMBDA_TASK_ROOT', '_HANDLER']));
    expect(result.keys).not.toContain('TWIN_HOST_SECRET');
    expect(result.keys).not.toContain('HOME');
    expect(result.name).toMatch(/^Runner-Env/);
    expect(result.remaining).toBeGreaterThan(5000);
    expect(result.remaining).toBeLessThanOrEqual(7000);
    expect(result.event).toEqual({ hello: 'world' });
  }, 30_000);

  it('supports a callback-style handler', async () => {
    expect(await runnerOf('main.callback').invoke({})).toMatchObject({ ok: true, result: { via: 'callback' } });
  }, 30_000);
});
