import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGatewayV2Event, httpReplyOf, matchRoute } from '../../functions/twin/http-event.js';
import { SYNTH_TIMEOUT, twinWithRouteRole } from './synthesized.js';

/**
 * The sign-in records have a table of their own (functions/accounts/sign-ins.ts): an authenticated route that infra/
 * forgot to grant its GetItem on it fails on the twin as on AWS. Two routes of the same template: one loses only the
 * statements naming that table, the other keeps its role; the same caller's request fails on the first (the
 * one denial is the sign-in record's GetItem) and is answered by the second.
 */
const STRIPPED = 'GET /centres';
const KEPT = 'GET /centres/{centreId}';
let twin: Awaited<ReturnType<typeof twinWithRouteRole>>;
let signInsTable: string;

beforeAll(async () => {
  let signInsLogicalId = '';
  // Only the statements naming the sign-in records' table go.
  twin = await twinWithRouteRole(STRIPPED, (policies, synthesized) => {
    const signIns = synthesized.tables.find((t) => /^TablesSignIns/.test(t.logicalId));
    if (!signIns) throw new Error('the template has no sign-in records table');
    signInsLogicalId = signIns.logicalId;
    return policies.map((p) => {
      const doc = p.document as { Statement: unknown[] | unknown };
      return { ...p, document: { ...doc, Statement: [doc.Statement].flat().filter((s) => !JSON.stringify(s).includes(`"${signIns.logicalId}"`)) } };
    });
  });
  signInsTable = twin.resolver.ref(signInsLogicalId);
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await twin?.stop();
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
  const { stack, resolver, host } = twin;
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
    expect(twin.denials.length).toBeGreaterThan(0);
    for (const d of twin.denials) {
      expect(d.request.action).toBe('dynamodb:GetItem');
      expect(JSON.stringify(d.request)).toContain(signInsTable);
    }
  }, 60_000);

  it('a route that kept its grant answers the same caller (the record read, no denial)', async () => {
    const before = twin.denials.length;
    expect(await call(KEPT, '/centres/no-such-centre')).toBe(404);
    expect(twin.denials.length).toBe(before);
  }, 60_000);
});
