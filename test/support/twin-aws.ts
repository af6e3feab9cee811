import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionEnvironment } from '../../functions/twin/function-runner.js';
import { startLocalAws, type LocalAws } from '../../functions/twin/local-aws.js';
import type { ExecutionRunner } from '../../functions/twin/local-services.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import type { StackModel } from '../../functions/twin/template.js';
import { synthesizedStack } from '../twin/synthesized.js';

export { SYNTH_TIMEOUT } from '../twin/synthesized.js';

/** What an AWS adapter needs to run as one of the stack's functions would: its SDK config and its environment. */
export interface AsFunction {
  functionName: string;
  /** The template's environment, resolved to the twin's resources. */
  env: Record<string, string>;
  /** For an SDK client: the twin's one endpoint, and credentials that name the function (its role is checked). */
  config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
}

/**
 * The twin's AWS account for the synthesized stack (dynalite, s3rver, the local KMS, Step Functions, Scheduler and
 * SES behind the gateway that authorises every call against the caller's role): where the AWS adapters' contract
 * suites run through the real SDK, as a deployed function would call AWS.
 */
export async function startTwinAws(options: { runExecution?: ExecutionRunner } = {}) {
  const stack: StackModel = await synthesizedStack();
  const resolver: Resolver = createResolver(stack);
  const dataDir = mkdtempSync(join(tmpdir(), 'twin-aws-'));
  const aws: LocalAws = await startLocalAws(stack, resolver, { dataDir, ...(options.runExecution ? { runExecution: options.runExecution } : {}) });
  /** A function of the stack given `variable` by the template and allowed `action` by its role, found in the template, not in our sources. */
  const asFunctionWith = (action: string, variable: string): AsFunction => {
    const fn = stack.functions.find((f) => variable in f.environment && JSON.stringify(aws.callers.get(f.logicalId)?.policies ?? []).includes(`"${action}"`));
    if (!fn) throw new Error(`no function of the stack has ${variable} and may ${action}`);
    const caller = aws.callers.get(fn.logicalId)!;
    const gatewayEnv = aws.gateway.environmentFor(caller);
    return {
      functionName: caller.functionName,
      env: { ...functionEnvironment(fn, resolver), ...gatewayEnv },
      config: {
        endpoint: gatewayEnv.AWS_ENDPOINT_URL,
        region: gatewayEnv.AWS_REGION,
        credentials: { accessKeyId: gatewayEnv.AWS_ACCESS_KEY_ID, secretAccessKey: gatewayEnv.AWS_SECRET_ACCESS_KEY },
      },
    };
  };
  return {
    stack,
    resolver,
    aws,
    asFunctionWith,
    async stop() {
      await aws.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export type TwinAws = Awaited<ReturnType<typeof startTwinAws>>;
