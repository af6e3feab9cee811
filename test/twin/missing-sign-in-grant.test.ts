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
 * The sign-in records have a table of their own (functions/accounts/sign-ins.ts): an authenticated route that infra/
 * forgot to grant its GetItem on it fails on the twin as on AWS. Two routes of the same template: one loses only the
 * statements naming that table, the other keeps its role; the same caller's request fails on the first (the
 * one denial is the sign-in record's GetItem) and is answered by the second.
 */
const work = mkdtempSync(join(tmpdir(), 'twin-sign-in-grant-'));
let stack: StackModel;
let resolver: Resolver;
let aws: LocalAws;
let host: FunctionHost;
let signInsTable: string;
const denials: { caller: string; request: AccessRequest; decision: Decision }[] = [];

const STRIPPED = 'GET /centres';
const KEPT = 'GET /centres/{centreId}';

beforeAll(async () => {
  const synthesized = await synthesizedStack();
  const signIns = synthesized.tables.find((t) => /^TablesSignIns/.test(t.logicalId));
  if (!signIns) throw new Error('the template has no sign-in records table');
  const fn = synthesized.functions.find((f) => f.logicalId === synthesized.httpRoutes.find((r) => r.routeKey === STRIPPED)!.functionLogicalId)!;
  const withoutSignIns = (document: unknown) => {
    const doc = document as { Statement: unknown[] | unknown };
    const statements = [doc.Statement].flat().filter((s) => !JSON.stringify(s).includes(`"${signIns.logicalId}"`));
    return { ...doc, Statement: statements };
  };
  stack = {
    ...synthesized,
    roles: synthesized.roles.map((r) => (r.roleLogicalId === fn.roleLogicalId ? { ...r, policies: r.policies.map((p) => ({ ...p, document: withoutSignIns(p.document) })) } : r)),
  };
  resolver = createResolver(stack);
  signInsTable = resolver.ref(signIns.logicalId);
  aws = await startLocalAws(stack, resolver, { dataDir: work, onDecision: (d) => !d.decision.allowed && denials.push(d) });
  host = new FunctionHost(stack, resolver, aws.gateway, aws.callers);
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await host?.close();
  await aws?.stop();
  rmSync(work, { recursive: true, force: true });
});

const agentClaims = () => ({
  sub: '0f3b8d5e-6a47-4c1d-9e0a-2b7c5d8e9f10',
  'cognito:groups': '[dreets]',
  'custom:ledger_id': 'agent-1',
  'custom:region': 'Bretagne',
  token_use: 'id',
  iat: String(Math.floor(Date.now() / 1000)),
});

async function call(routeKey: string, path: string) {
  const [method] = routeKey.split(' ') as ['GET'];
  const match = matchRoute(stack.httpRoutes, method, path)!;
  expect(match.route.routeKey).toBe(routeKey);
  const event = apiGatewayV2Event({ method, rawPath: path, rawQueryString: '', headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' }, match, {
    apiId: 'api',
    accountId: resolver.account,
    region: resolver.region,
    claims: agentClaims(),
  });
  const out = await host.invoke(match.route.functionLogicalId!, event);
  return out.ok ? httpReplyOf(out.result).status : 500;
}

describe('an authenticated route without its grant on the sign-in records', () => {
  it('fails instead of answering, its one denial the GetItem of the caller’s sign-in record', async () => {
    expect(await call(STRIPPED, '/centres')).toBeGreaterThanOrEqual(500);
    expect(denials.length).toBeGreaterThan(0);
    for (const d of denials) {
      expect(d.request.action).toBe('dynamodb:GetItem');
      expect(JSON.stringify(d.request)).toContain(signInsTable);
    }
  }, 60_000);

  it('a route that kept its grant answers the same caller (the record read, no denial)', async () => {
    const before = denials.length;
    expect(await call(KEPT, '/centres/no-such-centre')).toBe(404);
    expect(denials.length).toBe(before);
  }, 60_000);
});
