import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRequest, Decision } from '../../functions/twin/authorise.js';
import { FunctionRunner, functionEnvironment } from '../../functions/twin/function-runner.js';
import { apiGatewayV2Event, httpReplyOf, matchRoute } from '../../functions/twin/http-event.js';
import { startLocalAws, type LocalAws } from '../../functions/twin/local-aws.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import type { StackModel } from '../../functions/twin/template.js';
import { SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';

let stack: StackModel;
let resolver: Resolver;
let aws: LocalAws;
const decisions: { caller: string; request: AccessRequest; decision: Decision }[] = [];
const runners: FunctionRunner[] = [];
const work = mkdtempSync(join(tmpdir(), 'twin-runner-'));

beforeAll(async () => {
  stack = await synthesizedStack();
  resolver = createResolver(stack);
  aws = await startLocalAws(stack, resolver, { dataDir: work, onDecision: (d) => decisions.push(d) });
}, SYNTH_TIMEOUT);

afterAll(async () => {
  for (const r of runners) await r.close();
  await aws?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The runner of the function behind a route, with the environment the template gives it and the gateway's. */
function runnerOf(routeKey: string) {
  const route = stack.httpRoutes.find((r) => r.routeKey === routeKey)!;
  const fn = stack.functions.find((f) => f.logicalId === route.functionLogicalId)!;
  const caller = aws.callers.get(fn.logicalId)!;
  const runner = new FunctionRunner(fn, {
    functionName: caller.functionName,
    functionArn: resolver.getAtt(fn.logicalId, 'Arn'),
    environment: { ...functionEnvironment(fn, resolver), ...aws.gateway.environmentFor(caller) },
  });
  runners.push(runner);
  return { runner, caller };
}

const eventFor = (method: string, path: string, query = '') => {
  const match = matchRoute(stack.httpRoutes, method, path)!;
  return apiGatewayV2Event(
    { method, rawPath: path, rawQueryString: query, headers: { accept: 'application/json', 'user-agent': 'twin-test' }, body: Buffer.alloc(0), sourceIp: '127.0.0.1' },
    match,
    { apiId: resolver.ref(stack.httpRoutes[0]!.apiLogicalId!), accountId: resolver.account, region: resolver.region },
  );
};

describe('a synthesized function run from its bundle in cdk.out', () => {
  it('answers GET /health from the health bundle, with an API Gateway v2 event', async () => {
    const { runner } = runnerOf('GET /health');
    const out = await runner.invoke(eventFor('GET', '/health'));
    expect(out).toMatchObject({ ok: true, coldStart: true });
    const reply = httpReplyOf(out.ok ? out.result : undefined);
    expect(reply.status).toBe(200);
  }, 60_000);

  it('answers a read route whose AWS calls go through the gateway under its own role', async () => {
    const { runner, caller } = runnerOf('GET /certifications');
    const out = await runner.invoke(eventFor('GET', '/certifications'));
    expect(out.ok, JSON.stringify(out)).toBe(true);
    const reply = httpReplyOf(out.ok ? out.result : undefined);
    expect(reply.status).toBe(200);
    expect(() => JSON.parse(reply.body.toString('utf8'))).not.toThrow();
    const own = decisions.filter((d) => d.caller === caller.functionName);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((d) => d.decision.allowed)).toBe(true);
    expect(own.map((d) => d.request.action)).toEqual(expect.arrayContaining([expect.stringMatching(/^dynamodb:(Query|GetItem)$/)]));
  }, 60_000);

  it('keeps a container warm between invocations and starts another for a concurrent one', async () => {
    const { runner } = runnerOf('GET /health');
    const first = await runner.invoke(eventFor('GET', '/health'));
    const second = await runner.invoke(eventFor('GET', '/health'));
    expect([first.coldStart, second.coldStart]).toEqual([true, false]);
    expect(runner.containerCount).toBe(1);
    const both = await Promise.all([runner.invoke(eventFor('GET', '/health')), runner.invoke(eventFor('GET', '/health'))]);
    expect(both.map((b) => b.coldStart).sort()).toEqual([false, true]);
    expect(runner.containerCount).toBe(2);
  }, 60_000);
});
