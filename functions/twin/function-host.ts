import type { Caller } from './authorise.js';
import type { AwsGateway } from './aws-gateway.js';
import { FunctionRunner, functionEnvironment, type InvokeResult } from './function-runner.js';
import type { Resolver } from './resolver.js';
import type { LambdaFunction, StackModel } from './template.js';

/**
 * Every Node.js function of the stack, each started on its first invocation (as Lambda starts a container on
 * demand) with the template's environment and the gateway's endpoint and credentials.
 */
export class FunctionHost {
  private readonly runners = new Map<string, FunctionRunner>();
  private readonly byArn = new Map<string, LambdaFunction>();

  constructor(
    private readonly model: StackModel,
    private readonly resolver: Resolver,
    private readonly gateway: AwsGateway,
    private readonly callers: Map<string, Caller>,
    private readonly options: {
      /** Variables the twin sets over the template's (a public URL the template resolves to a CloudFront domain). */
      environmentOverrides?: (fn: LambdaFunction) => Record<string, string>;
      onLog?: (functionName: string, line: string, stream: 'stdout' | 'stderr') => void;
      /** A virtual clock the functions' `Date` follows. */
      clock?: () => Date;
    } = {},
  ) {
    for (const fn of model.functions) this.byArn.set(resolver.getAtt(fn.logicalId, 'Arn'), fn);
  }

  /** A function by ARN, by ARN with a version or alias qualifier, or by name. */
  functionOf(nameOrArn: string): LambdaFunction | undefined {
    const unqualified = nameOrArn.startsWith('arn:')
      ? nameOrArn.split(':').slice(0, 7).join(':')
      : `arn:aws:lambda:${this.resolver.region}:${this.resolver.account}:function:${nameOrArn}`;
    return this.byArn.get(unqualified);
  }

  runnerOf(logicalId: string): FunctionRunner {
    const existing = this.runners.get(logicalId);
    if (existing) return existing;
    const fn = this.model.functions.find((f) => f.logicalId === logicalId);
    const caller = this.callers.get(logicalId);
    if (!fn || !caller) throw new Error(`no function ${logicalId} with a role in the template`);
    const runner = new FunctionRunner(fn, {
      functionName: caller.functionName,
      functionArn: this.resolver.getAtt(fn.logicalId, 'Arn'),
      environment: { ...functionEnvironment(fn, this.resolver), ...this.options.environmentOverrides?.(fn), ...this.gateway.environmentFor(caller) },
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      ...(this.options.onLog ? { onLog: (line: string, stream: 'stdout' | 'stderr') => this.options.onLog!(caller.functionName, line, stream) } : {}),
    });
    this.runners.set(logicalId, runner);
    return runner;
  }

  invoke(logicalId: string, event: unknown): Promise<InvokeResult> {
    return this.runnerOf(logicalId).invoke(event);
  }

  async close() {
    await Promise.all([...this.runners.values()].map((r) => r.close()));
    this.runners.clear();
  }
}
