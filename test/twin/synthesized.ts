import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessRequest, Decision } from '../../functions/twin/authorise.js';
import { FunctionHost } from '../../functions/twin/function-host.js';
import { startLocalAws } from '../../functions/twin/local-aws.js';
import { createResolver } from '../../functions/twin/resolver.js';
import { ensureSynth } from '../../functions/twin/synth.js';
import { type AttachedPolicy, readStack, type StackModel } from '../../functions/twin/template.js';

export const projectRoot = join(import.meta.dirname, '..', '..');

/** A cold `cdk synth` with bundling takes ~40 s on 2 shared cores, more when another one runs. */
export const SYNTH_TIMEOUT = 600_000;

/** The stack in cdk.out, synthesised first when the sources changed since the last synth. */
export async function synthesizedStack(): Promise<StackModel> {
  const { outdir } = await ensureSynth({ root: projectRoot });
  return readStack(outdir);
}

/**
 * The synthesized stack with the role of one route's function changed, as if infra/ had forgotten a grant: its
 * local AWS (every refused call recorded in `denials`) and the host that runs the template's bundles unchanged.
 */
export async function twinWithRouteRole(routeKey: string, policies: (attached: AttachedPolicy[], stack: StackModel) => AttachedPolicy[]) {
  const synthesized = await synthesizedStack();
  const fn = synthesized.functions.find((f) => f.logicalId === synthesized.httpRoutes.find((r) => r.routeKey === routeKey)!.functionLogicalId)!;
  const stack: StackModel = {
    ...synthesized,
    roles: synthesized.roles.map((r) => (r.roleLogicalId === fn.roleLogicalId ? { ...r, policies: policies(r.policies, synthesized) } : r)),
  };
  const work = mkdtempSync(join(tmpdir(), 'twin-grant-'));
  const resolver = createResolver(stack);
  const denials: { caller: string; request: AccessRequest; decision: Decision }[] = [];
  const aws = await startLocalAws(stack, resolver, { dataDir: work, onDecision: (d) => !d.decision.allowed && denials.push(d) });
  const host = new FunctionHost(stack, resolver, aws.gateway, aws.callers);
  return {
    stack,
    resolver,
    host,
    denials,
    async stop() {
      await host.close();
      await aws.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
