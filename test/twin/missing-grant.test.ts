import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRequest, Decision } from '../../functions/twin/authorise.js';
import { FunctionHost } from '../../functions/twin/function-host.js';
import { apiGatewayV2Event, httpReplyOf, matchRoute } from '../../functions/twin/http-event.js';
import { startLocalAws, type LocalAws } from '../../functions/twin/local-aws.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import type { StackModel } from '../../functions/twin/template.js';
import { SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';

/**
 * What the twin is for: a deployment mistake fails as on AWS. Here the catalogue route's role loses its
 * grants (as if infra/ forgot them): its bundle is unchanged, yet its read is denied at the gateway and the
 * route fails.
 */
const work = mkdtempSync(join(tmpdir(), 'twin-grant-'));
let stack: StackModel;
let resolver: Resolver;
let aws: LocalAws;
let host: FunctionHost;
const denials: { caller: string; request: AccessRequest; decision: Decision }[] = [];

const routeKey = 'GET /certifications';

beforeAll(async () => {
  const synthesized = await synthesizedStack();
  const fn = synthesized.functions.find((f) => f.logicalId === synthesized.httpRoutes.find((r) => r.routeKey === routeKey)!.functionLogicalId)!;
  stack = { ...synthesized, roles: synthesized.roles.map((r) => (r.roleLogicalId === fn.roleLogicalId ? { ...r, policies: [] } : r)) };
  resolver = createResolver(stack);
  aws = await startLocalAws(stack, resolver, { dataDir: work, onDecision: (d) => !d.decision.allowed && denials.push(d) });
  host = new FunctionHost(stack, resolver, aws.gateway, aws.callers);
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await host?.close();
  await aws?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('a grant missing from the template', () => {
  it('denies the call the function makes, and the route fails instead of answering', async () => {
    const match = matchRoute(stack.httpRoutes, 'GET', '/certifications')!;
    const event = apiGatewayV2Event({ method: 'GET', rawPath: '/certifications', rawQueryString: '', headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' }, match, {
      apiId: 'api',
      accountId: resolver.account,
      region: resolver.region,
    });
    const out = await host.invoke(match.route.functionLogicalId!, event);
    const status = out.ok ? httpReplyOf(out.result).status : 500;
    expect(status).toBeGreaterThanOrEqual(500);
    expect(denials.map((d) => d.request.action)).toEqual(expect.arrayContaining([expect.stringMatching(/^dynamodb:/)]));
    expect(denials[0]!.decision.allowed).toBe(false);
  }, 60_000);
});
