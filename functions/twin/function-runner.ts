import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Resolver } from './resolver.js';
import type { LambdaFunction } from './template.js';

/**
 * One Lambda function of cdk.out, run as Lambda runs it: the bundle CDK would upload, its handler, in its own
 * process per concurrent container (a container handles one invocation at a time and is reused while warm),
 * with the template's environment and no other, and killed at the template's timeout.
 */

export type InvokeOutcome = { ok: true; result: unknown } | { ok: false; error: { errorType: string; errorMessage: string; trace?: string[] } };
export type InvokeResult = InvokeOutcome & { durationMs: number; coldStart: boolean };

export interface RunnerOptions {
  /** The function's physical name (its log lines and AWS_LAMBDA_FUNCTION_NAME). */
  functionName: string;
  functionArn: string;
  /** The variables of the container: the template's, resolved, plus the twin's (endpoint, credentials). */
  environment: Record<string, string>;
  /** Each line the function writes, to stdout or stderr. */
  onLog?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** A virtual clock: the container's `Date` follows it. Undefined: the system clock, untouched. */
  clock?: () => Date;
}

const fromContainer = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('init-error'), errorType: z.string(), errorMessage: z.string() }),
  z.object({ type: z.literal('result'), id: z.string(), result: z.unknown() }),
  z.object({ type: z.literal('error'), id: z.string(), errorType: z.string(), errorMessage: z.string(), trace: z.array(z.string()).optional() }),
]);

/**
 * The container's side, run by plain `node` (a Lambda container has no TypeScript loader): import the
 * handler module from the task root, then answer invocations over IPC. Lambda serialises the result to
 * JSON, and so does the IPC channel.
 */
const BOOTSTRAP = String.raw`
// The machine runs Node 20 while Lambda runs the template's runtime (nodejs22.x): fill what 22 adds.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };
}
const { moduleUrl, exportName, virtualClock } = JSON.parse(process.env.TWIN_HANDLER);
delete process.env.TWIN_HANDLER;
// A virtual clock (LEDGER_CLOCK=virtual:…): Date in this container runs at the twin's time, set per invocation.
let clockOffset = 0;
if (virtualClock) {
  const RealDate = Date;
  class TwinDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(RealDate.now() + clockOffset); else super(...args); }
    static now() { return RealDate.now() + clockOffset; }
  }
  globalThis.Date = TwinDate;
}
const errorOf = (e) => ({ errorType: (e && e.name) || 'Error', errorMessage: (e && e.message) || String(e), trace: e && e.stack ? String(e.stack).split('\n') : undefined });
let handler;
try {
  const mod = await import(moduleUrl);
  handler = mod[exportName] ?? mod.default?.[exportName];
  if (typeof handler !== 'function') {
    process.send({ type: 'init-error', errorType: 'Runtime.HandlerNotFound', errorMessage: moduleUrl + '.' + exportName + ' is undefined or not exported' });
    process.exit(1);
  }
} catch (e) {
  process.send({ type: 'init-error', errorType: 'Runtime.ImportModuleError', errorMessage: String(e && e.stack || e) });
  process.exit(1);
}
process.on('message', async ({ id, event, context, nowMs }) => {
  if (virtualClock && typeof nowMs === 'number') clockOffset = nowMs - Date.now() + clockOffset;
  const deadline = context.deadlineMs;
  const ctx = { ...context, callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  try {
    const result = await (handler.length >= 3 ? new Promise((resolve, reject) => { const r = handler(event, ctx, (err, value) => (err ? reject(err) : resolve(value))); if (r && typeof r.then === 'function') r.then(resolve, reject); }) : handler(event, ctx));
    process.send({ type: 'result', id, result: result === undefined ? null : result });
  } catch (e) {
    process.send({ type: 'error', id, ...errorOf(e) });
  }
});
process.send({ type: 'ready' });
`;

/** Lambda's limit on a container's init phase (loading the handler module). */
const INIT_LIMIT_MS = 10_000;

interface Container {
  child: ChildProcess;
  ready: Promise<void>;
  busy: boolean;
}

/** The module file of a handler (`index.handler` → `<root>/index.mjs`, `.js` or `.cjs`). */
export function handlerModule(taskRoot: string, handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  const base = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const file = ['.mjs', '.js', '.cjs'].map((ext) => join(taskRoot, `${base}${ext}`)).find(existsSync);
  if (!file) throw new Error(`no module ${base}.{mjs,js,cjs} in ${taskRoot}`);
  return { file, exportName };
}

export class FunctionRunner {
  private readonly containers = new Set<Container>();
  private closed = false;

  constructor(
    readonly fn: LambdaFunction,
    private readonly options: RunnerOptions,
  ) {
    if (!fn.assetDir) throw new Error(`${fn.logicalId} has no asset folder in cdk.out`);
    if (!fn.runtime.startsWith('nodejs')) throw new Error(`${fn.logicalId}: runtime ${fn.runtime} is not run by the twin`);
  }

  /** How many containers are up (warm or busy). */
  get containerCount() {
    return this.containers.size;
  }

  /** The variables Lambda itself sets in every container. */
  private lambdaEnvironment(): Record<string, string> {
    const { fn, options } = this;
    return {
      AWS_LAMBDA_FUNCTION_NAME: options.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `twin/[$LATEST]${randomUUID().replaceAll('-', '')}`,
      LAMBDA_TASK_ROOT: fn.assetDir!,
      LAMBDA_RUNTIME_DIR: fn.assetDir!,
      _HANDLER: fn.handler,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      // The machine's Node (20) is older than the runtime's (22): the SDK's warning about it is not the function's.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }

  private spawnContainer(): Container {
    const { fn, options } = this;
    const { file, exportName } = handlerModule(fn.assetDir!, fn.handler);
    // Lambda reserves part of the memory for the runtime; the heap gets most of it, as the Node runtime sets it.
    const heapMb = Math.max(64, Math.floor(fn.memorySize * 0.9));
    const env = {
      ...this.lambdaEnvironment(),
      ...options.environment,
      TWIN_HANDLER: JSON.stringify({ moduleUrl: pathToFileURL(file).href, exportName, virtualClock: !!options.clock }),
    };
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, '--input-type=module', '-e', BOOTSTRAP], {
      cwd: fn.assetDir!,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      let pending = '';
      child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) options.onLog?.(line, stream);
      });
    }
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (raw: unknown) => {
        const message = fromContainer.safeParse(raw);
        if (!message.success) return;
        if (message.data.type === 'ready') resolve();
        if (message.data.type === 'init-error') reject(Object.assign(new Error(message.data.errorMessage), { errorType: message.data.errorType }));
        if (message.data.type === 'ready' || message.data.type === 'init-error') child.off('message', onMessage);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(Object.assign(new Error(`the container exited during init (code ${code})`), { errorType: 'Runtime.ExitError' })));
    });
    ready.catch(() => {});
    const container: Container = { child, ready, busy: false };
    child.once('exit', () => this.containers.delete(container));
    this.containers.add(container);
    return container;
  }

  /** A warm idle container, or a new one: concurrency makes containers, as on Lambda. */
  private acquire(): { container: Container; coldStart: boolean } {
    for (const c of this.containers) {
      if (!c.busy && c.child.exitCode === null && c.child.signalCode === null) {
        c.busy = true;
        return { container: c, coldStart: false };
      }
    }
    const container = this.spawnContainer();
    container.busy = true;
    return { container, coldStart: true };
  }

  /**
   * Runs one invocation. As on Lambda, a cold container first gets the init limit (10 s) to load the handler
   * module, then the handler gets the template's timeout.
   */
  async invoke(event: unknown): Promise<InvokeResult> {
    if (this.closed) throw new Error(`${this.options.functionName}: the runner is closed`);
    const t0 = Date.now();
    const timeoutMs = this.fn.timeout * 1000;
    const { container, coldStart } = this.acquire();
    const id = randomUUID();
    const done = (outcome: InvokeOutcome): InvokeResult => ({ ...outcome, durationMs: Date.now() - t0, coldStart });

    return new Promise<InvokeResult>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: InvokeResult, keep: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        container.child.off('message', onMessage);
        container.child.off('exit', onExit);
        if (keep) container.busy = false;
        else container.child.kill('SIGKILL');
        resolve(result);
      };
      // Lambda stops the sandbox at a timeout: the next invocation starts cold.
      const stopAfter = (ms: number, errorMessage: string) => {
        clearTimeout(timer);
        timer = setTimeout(() => finish(done({ ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage } }), false), ms);
      };
      stopAfter(INIT_LIMIT_MS, `Init timed out after ${(INIT_LIMIT_MS / 1000).toFixed(2)} seconds`);
      const onMessage = (raw: unknown) => {
        const message = fromContainer.safeParse(raw);
        if (!message.success || !('id' in message.data) || message.data.id !== id) return;
        if (message.data.type === 'result') finish(done({ ok: true, result: message.data.result }), true);
        else if (message.data.type === 'error') {
          const { errorType, errorMessage, trace } = message.data;
          finish(done({ ok: false, error: { errorType, errorMessage, ...(trace ? { trace } : {}) } }), true);
        }
      };
      const onExit = (code: number | null, signal: string | null) =>
        finish(
          done({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${id} Error: Runtime exited with error: ${signal ?? `exit status ${code}`}` } }),
          false,
        );
      container.child.on('message', onMessage);
      container.child.once('exit', onExit);
      container.ready.then(
        () => {
          if (settled) return;
          stopAfter(timeoutMs, `Task timed out after ${this.fn.timeout.toFixed(2)} seconds`);
          container.child.send({
            id,
            event,
            ...(this.options.clock ? { nowMs: this.options.clock().getTime() } : {}),
            context: {
              functionName: this.options.functionName,
              functionVersion: '$LATEST',
              invokedFunctionArn: this.options.functionArn,
              memoryLimitInMB: String(this.fn.memorySize),
              awsRequestId: id,
              logGroupName: `/aws/lambda/${this.options.functionName}`,
              logStreamName: container.child.pid ? `twin/${container.child.pid}` : 'twin',
              deadlineMs: Date.now() + timeoutMs,
            },
          });
        },
        (e: Error & { errorType?: string }) => finish(done({ ok: false, error: { errorType: e.errorType ?? 'Runtime.Unknown', errorMessage: e.message } }), false),
      );
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.containers].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.child.exitCode !== null || c.child.signalCode !== null) return resolve();
            c.child.once('exit', () => resolve());
            c.child.kill('SIGKILL');
          }),
      ),
    );
  }
}

/**
 * A function's environment as Lambda would set it from the template: every intrinsic resolved against the
 * local resources, every value a string.
 */
export function functionEnvironment(fn: LambdaFunction, resolver: Resolver): Record<string, string> {
  return Object.fromEntries(Object.entries(fn.environment).map(([name, value]) => [name, resolver.resolveString(value, `${fn.logicalId} environment ${name}`)]));
}
