import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLocalToken } from '../../functions/local/local-token.js';
import { pages } from '../../web/site.js';
import { scenario, type Caller } from '../support/scenario.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';

// Local only: npm start serves the pages beside the API; on AWS (and so on the twin) CloudFront serves them from S3.

const RNCP = 'RNCP38665';

/** What `npm start` serves besides the API (issue 6), over HTTP; the pages themselves run in test/browser. */
describe('the web pages and their routes, against the local server', () => {
  let L: LocalLedger;
  let call: Caller;
  beforeAll(async () => {
    L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
    call = (method, path, opts = {}) => L.call(method, path, { as: opts.as as never, body: opts.body, headers: opts.headers });
  });
  afterAll(async () => L?.stop());

  it('serves every page at its paths, in French, with its script, under a strict CSP; assets and config too', async () => {
    for (const page of pages) {
      for (const path of [...page.paths, ...(page.prefix ? [`${page.prefix}7KQ2-M9XD-4HTB-P3W`] : [])]) {
        const res = await fetch(L.url + path);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        const csp = res.headers.get('content-security-policy')!;
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toContain('unsafe-inline');
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        const html = await res.text();
        expect(html).toContain('<html lang="fr">');
        const script = /<script type="module" src="([^"]+)"/.exec(html)![1]!;
        const js = await fetch(L.url + script);
        expect(js.status, script).toBe(200);
        expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      }
    }
    expect((await fetch(`${L.url}/assets/site.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await (await fetch(`${L.url}/config.json`)).json()).toEqual({ mode: 'local' });
    // What is neither a page nor an asset stays the API's 404, and a page never shadows a route.
    const unknown = await fetch(`${L.url}/nowhere`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect((await fetch(`${L.url}/v/a/b`)).status).toBe(404);
    expect((await fetch(`${L.url}/health`)).headers.get('content-type')).toContain('application/json');
  });

  it('POST /_local/tokens mints a token the server accepts, for the sign-in page (local only)', async () => {
    const res = await call('POST', '/_local/tokens', { body: { role: 'centre', ledgerId: 'centre-42' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ role: 'centre', ledgerId: 'centre-42' });
    const claims = await verifyLocalToken(L.keys, `Bearer ${res.json.token}`);
    expect(claims).toMatchObject({ 'custom:ledger_id': 'centre-42', 'cognito:groups': '[centre]' });
    expect(claims!.sub).not.toBe('centre-42');
    expect((await call('POST', '/_local/tokens', { body: { role: 'admin', ledgerId: 'x' } })).status).toBe(400);
  });

  it('GET /centres/{centreId}/sessions: the centre’s own sessions, latest first; the DREETS sees any; others are refused', async () => {
    const s = scenario(call);
    const centreId = await s.centre(RNCP, { region: 'Occitanie', validUntil: '2027-12-31' });
    const otherCentre = await s.centre(RNCP, { region: 'Bretagne', validUntil: '2027-12-31' });
    const jurors = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
    const first = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-07' }, jurors);
    const second = await s.session(centreId, { rncp: RNCP, kind: 'ccp', blocs: ['RNCP38665BC01'], startsOn: '2025-11-03', endsOn: '2025-11-03' }, jurors);
    await s.session(otherCentre, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' }, jurors);
    await s.enrol(centreId, first, await s.candidate(centreId, 'Moreau'));
    await L.settle();

    const mine = await call('GET', `/centres/${centreId}/sessions`, { as: ['centre', centreId] });
    expect(mine.status, mine.text).toBe(200);
    // The sessions alone, as API.md lists them; the centre's name and region are GET /centres/{centreId}'s.
    expect(mine.json.map((x: { sessionId: string }) => x.sessionId)).toEqual([second, first]);
    expect(mine.json[1]).toEqual({
      sessionId: first,
      rncp: RNCP,
      kind: 'titre',
      blocs: ['RNCP38665BC01', 'RNCP38665BC02'],
      startsOn: '2025-10-06',
      endsOn: '2025-10-07',
      juryMembers: 2,
      candidates: 1,
      deliberations: { proposed: 0, final: 0, annulled: 0 },
      pv: { status: 'open' },
    });
    expect((await call('GET', `/centres/${centreId}/sessions`, { as: ['dreets', 'agent-1'] })).json).toHaveLength(2);

    const notMine = await call('GET', `/centres/${centreId}/sessions`, { as: ['centre', otherCentre] });
    expect(notMine.status).toBe(403);
    expect(notMine.json.type).toBe('/problems/not-your-centre');
    expect((await call('GET', `/centres/${centreId}/sessions`, { as: ['juror', jurors[0]!] })).status).toBe(403);
    expect((await call('GET', `/centres/${centreId}/sessions`)).status).toBe(401);
    expect((await call('GET', '/centres/no-such-centre/sessions', { as: ['dreets', 'agent-1'] })).json.type).toBe('/problems/centre-not-found');
  });
});
