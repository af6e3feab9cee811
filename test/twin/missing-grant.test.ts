import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGatewayV2Event, httpReplyOf, matchRoute } from '../../functions/twin/http-event.js';
import { SYNTH_TIMEOUT, twinWithRouteRole } from './synthesized.js';

/**
 * What the twin is for: a deployment mistake fails as on AWS. Here the catalogue route's role loses its
 * grants (as if infra/ forgot them): its bundle is unchanged, yet its read is denied at the gateway and the
 * route fails.
 */
let twin: Awaited<ReturnType<typeof twinWithRouteRole>>;

beforeAll(async () => {
  twin = await twinWithRouteRole('GET /certifications', () => []);
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await twin?.stop();
});

describe('a grant missing from the template', () => {
  it('denies the call the function makes, and the route fails instead of answering', async () => {
    const { stack, resolver, host, denials } = twin;
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
