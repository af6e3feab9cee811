import { createRemoteJWKSet } from 'jose';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FunctionHost } from './function-host.js';
import { startHttpApi } from './http-api.js';
import { startLocalAws, type LocalAws } from './local-aws.js';
import { startLocalCognito } from './local-cognito.js';
import { localControls } from './local-controls.js';
import type { ExecutionRunner } from './local-services.js';
import { createResolver, type Resolver } from './resolver.js';
import { fireDueSchedules } from './schedules.js';
import { stateMachineRunner } from './state-machines.js';
import { mappingSettingsOf, StreamConsumer } from './stream-delivery.js';
import { ensureSynth } from './synth.js';
import { readStack, type StackModel } from './template.js';
import { twinClock, type TwinClock } from './twin-clock.js';
import { recordedTwin, runningFile } from './running.js';
import { accountOf } from './token.js';

/**
 * The twin: what AWS would run, from cdk.out alone. The stack is synthesised when the sources changed, its
 * tables and buckets provisioned locally, its functions run from their bundles behind its HTTP API, its
 * streams feed its consumers, its state machines run their definitions, its schedules fire, and every AWS
 * call a function makes is authorised against that function's role.
 */
export interface TwinOptions {
  /** The project root (cdk.json). */
  root: string;
  /** A cloud assembly to serve as it is, without synthesising (default: cdk.out of `root`, synthesised when stale). */
  cdkOut?: string;
  /** The twin keeps its state in `<dataDir>/twin` (apart from `npm start`'s). */
  dataDir: string;
  /** 0: any free port. */
  port: number;
  log?: (line: string) => void;
  /** LEDGER_CLOCK: `system` (the default) or `virtual:<ISO instant>`. */
  clock?: string;
  /** How often due schedules are looked for (ms). */
  scheduleTickMs?: number;
}

export interface Twin {
  url: string;
  port: number;
  model: StackModel;
  resolver: Resolver;
  aws: LocalAws;
  host: FunctionHost;
  clock: TwinClock;
  /** An ID token of the template's user pool, signed in through cognito-local, with these claims as attributes and groups. */
  token(claims: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

export async function startTwin(options: TwinOptions): Promise<Twin> {
  const log = options.log ?? (() => {});
  const dir = join(options.dataDir, 'twin');
  // One twin per data dir (dynalite and cognito-local own their files); a record a killed twin left is replaced.
  const recorded = await recordedTwin(options.dataDir);
  if (recorded.state === 'alive') throw new Error(`a twin already runs on ${options.dataDir} (${recorded.url}): stop it, or give another LEDGER_DATA_DIR`);
  if (recorded.state === 'stale') {
    rmSync(recorded.file, { force: true });
    log(`removed ${recorded.file}, left by a twin that no longer runs (${recorded.why})`);
  }
  let outdir = options.cdkOut;
  if (!outdir) {
    const synth = await ensureSynth({ root: options.root, log });
    outdir = synth.outdir;
    log(synth.synthesized ? `synthesised ${outdir}` : `reusing ${outdir} (sources unchanged)`);
  }
  const model = readStack(outdir);
  // Filled once the port is known: the public domain of a CloudFront distribution is the twin's own address.
  const overrides: Record<string, string> = {};
  const resolver = createResolver(model, { overrides });

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: unknown) => log(`stopping: ${(e as Error).message}`));
  };
  try {
    const clock = twinClock(options.clock ?? 'system', join(dir, 'virtual-clock.json'));
    // Before anything resolves the pool's and clients' ids: cognito-local chooses them.
    // The template's user pools are the token issuer, as on AWS: cognito-local holds them.
    const cognito = model.userPools.length ? await startLocalCognito(model, resolver.region, join(dir, 'cognito')) : undefined;
    if (cognito) {
      Object.assign(overrides, cognito.ids);
      stops.push(() => cognito.stop());
    }
    let runExecution: ExecutionRunner | undefined;
    const aws = await startLocalAws(model, resolver, {
      ...(cognito ? { cognito: { url: cognito.upstream, beforeForward: cognito.beforeForward } } : {}),
      dataDir: dir,
      persist: true,
      runExecution: (execution) => runExecution!(execution),
      onDecision: ({ caller, decision }) => {
        if (!decision.allowed) log(`denied ${caller}: ${decision.message}`);
      },
    });
    stops.push(() => aws.stop());
    const host = new FunctionHost(model, resolver, aws.gateway, aws.callers, {
      onLog: (fn, line) => log(`[${fn}] ${line}`),
      ...(clock.virtual ? { clock: () => clock.now() } : {}),
    });
    stops.push(() => host.close());
    runExecution = stateMachineRunner(model, resolver, host);

    const consumers: StreamConsumer[] = [];
    for (const mapping of model.eventSourceMappings) {
      const stream = mapping.sourceLogicalId ? aws.streams.get(mapping.sourceLogicalId) : undefined;
      if (!stream || !mapping.functionLogicalId || !mapping.enabled) {
        log(`event source mapping ${mapping.logicalId}: no local source, not delivered`);
        continue;
      }
      const consumer = new StreamConsumer(
        stream,
        mappingSettingsOf(mapping, resolver, join(dir, 'stream-failures.jsonl')),
        (event) => host.invoke(mapping.functionLogicalId!, event),
        { log },
      );
      consumers.push(consumer);
      stops.push(async () => consumer.stop());
    }

    const fire = async () => {
      const fired = await fireDueSchedules(clock.now(), aws.scheduler, aws.stepFunctions, model, resolver);
      for (const f of fired) log(`schedule ${f.schedule.Name}: ${f.outcome}${f.detail ? ` (${f.detail})` : ''}`);
      return fired.length;
    };
    /** Until nothing runs: no execution, no stream batch (which may start executions, which may schedule more). */
    const settle = async () => {
      for (;;) {
        await Promise.all(consumers.map((c) => c.idle()));
        if (![...aws.stepFunctions.executions.values()].some((e) => e.status === 'RUNNING')) {
          await Promise.all(consumers.map((c) => c.idle()));
          if (![...aws.stepFunctions.executions.values()].some((e) => e.status === 'RUNNING')) return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    /** The virtual clock walks to `target` through each schedule due on the way, in order, as time would. */
    const advance = async (target: Date) => {
      await settle();
      for (;;) {
        const next = aws.scheduler
          .list()
          .filter((x) => x.State === 'ENABLED' && x.At && Date.parse(x.At) <= target.getTime())
          .map((x) => Date.parse(x.At!))
          .sort((a, b) => a - b)[0];
        if (next === undefined) break;
        if (next > clock.now().getTime()) clock.set(new Date(next));
        await fire();
        await settle();
      }
      clock.set(target);
    };

    const mintFor = async (claims: Record<string, unknown>) => {
      if (!cognito) throw new Error('the stack has no user pool: no token to make');
      return cognito.signIn(model.userPools[0]!.logicalId, accountOf(claims));
    };
    let deployed = false;
    const api = await startHttpApi({
      ready: () => deployed,
      model,
      resolver,
      port: options.port,
      invoke: (id, event) => host.invoke(id, event),
      // An issuer the twin does not hold (no user pool in the template) has no keys here: its tokens are refused.
      keysFor: (iss) =>
        cognito
          ? createRemoteJWKSet(new URL(cognito.jwksUrl(iss.split('/').at(-1)!)))
          : async () => {
              throw new Error(`no keys for ${iss}`);
            },
      local: localControls({
        clock,
        advance,
        token: (claims) => mintFor(claims),
        signInAs: async (email) => {
          if (!cognito) throw new Error('the stack has no user pool: nobody to sign in as');
          return cognito.signInAs(model.userPools[0]!.logicalId, email);
        },
      }),
      onError: (e) => log(`http: ${(e as Error).stack ?? String(e)}`),
    });
    stops.push(() => api.close());
    for (const r of Object.entries(model.template.Resources)) {
      if (r[1].Type === 'AWS::CloudFront::Distribution') overrides[`${r[0]}.DomainName`] = `localhost:${api.port}`;
    }

    // Deploy-time duties: CloudFormation runs each Trigger's function once before the stack is complete.
    for (const trigger of model.triggers) {
      if (!trigger.functionLogicalId) continue;
      log(`trigger ${trigger.logicalId}: invoking its function`);
      const run = host.invoke(trigger.functionLogicalId, {
        RequestType: 'Create',
        LogicalResourceId: trigger.logicalId,
        StackId: resolver.ref('AWS::StackId'),
        ResourceProperties: {},
      });
      if (trigger.invocationType === 'Event') {
        // Asynchronous: the deployment does not wait for it, nor fail with it.
        void run.then((out) => !out.ok && log(`trigger ${trigger.logicalId} failed: ${out.error.errorType}: ${out.error.errorMessage}`));
        continue;
      }
      const out = await run;
      if (!out.ok) throw new Error(`trigger ${trigger.logicalId} failed: ${out.error.errorType}: ${out.error.errorMessage}`);
    }
    // What the duties set in motion (their stream records, the projections they feed, executions) runs out
    // before the API answers: a deployment is seconds long on AWS, time enough for them; here the first
    // request would otherwise race them.
    await settle();
    deployed = true;
    // Where the token command finds this twin (functions/twin/token.ts); gone when it stops.
    const running = runningFile(options.dataDir);
    writeFileSync(running, JSON.stringify({ pid: process.pid, url: api.url, ...(cognito ? { cognitoUrl: cognito.url } : {}) }), { mode: 0o600 });
    stops.push(async () => rmSync(running, { force: true }));

    const tick = setInterval(() => {
      fire().catch((e: unknown) => log(`schedules: ${(e as Error).message}`));
    }, options.scheduleTickMs ?? 1000);
    stops.push(async () => clearInterval(tick));

    return {
      url: api.url,
      port: api.port,
      model,
      resolver,
      aws,
      host,
      clock,
      token: mintFor,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
