import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Label } from '../../events/define-event.js';
import * as z from '../../events/zod.js';
import { route as equivalenceRoute } from '../../functions/candidates/grant-equivalence.js';
import { StatusChangeBody } from '../../functions/certificates/change-status.js';
import { route } from '../../functions/centres/register-centre.js';
import { AnnulmentBody, DeliberationBody, RecusalBody } from '../../functions/sessions/session-schemas.js';
import { lambdaHandler } from '../../functions/shared/lambda.js';
import { callRoute, commitCount, type Call } from '../support/call-route.js';
import { scenario, type Caller } from '../support/scenario.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { memoryDeps } from '../support/memory-deps.js';

// Issue 17: a body that is not UTF-8 was accepted (decoded with U+FFFD in place of the bad bytes).
const NOT_UTF8 = Buffer.concat([Buffer.from('{"name":"Centre '), Buffer.from([0xff, 0xfe]), Buffer.from('","region":"Bretagne"}')]);

describe('a body that is not UTF-8 is refused, never repaired (issue 17)', () => {
  let L: LocalLedger;
  beforeAll(async () => {
    L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
  }, 60_000);
  afterAll(async () => {
    await L?.stop();
  });

  it('by npm start: 400 problem+json, the ledger unchanged', async () => {
    await L.settle();
    const before = await commitCount(L.deps);
    const token = await L.token('dreets', 'agent-1', 'Bretagne');
    const url = new URL('/centres', L.url);
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': NOT_UTF8.length },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
        },
      );
      req.on('error', reject);
      req.end(NOT_UTF8);
    });
    expect(answer.status).toBe(400);
    expect(answer.type).toBe('application/problem+json');
    expect(JSON.parse(answer.body).detail).toContain('not valid UTF-8');
    expect(await commitCount(L.deps)).toBe(before);
  });

  it('by a Lambda behind API Gateway (the body handed over in base64): 400, the ledger unchanged', async () => {
    const h = await memoryDeps();
    const before = await commitCount(h.deps);
    const handler = lambdaHandler('centres/register-centre', route, () => h.deps);
    const result = (await handler({
      version: '2.0',
      routeKey: 'POST /centres',
      rawPath: '/centres',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', host: 'registre.example.gouv.fr' },
      body: NOT_UTF8.toString('base64'),
      isBase64Encoded: true,
      requestContext: {
        http: { method: 'POST', path: '/centres', sourceIp: '192.0.2.1' },
        requestId: 'r1',
        authorizer: { jwt: { claims: { sub: 's', 'cognito:groups': '[dreets]', 'custom:ledger_id': 'agent-1', 'custom:region': 'Bretagne' }, scopes: [] } },
      },
    } as never)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).detail).toContain('not valid UTF-8');
    expect(await commitCount(h.deps)).toBe(before);
  });
});

describe('names without control characters, bidi overrides or lone surrogates (issue 17)', () => {
  const DREETS: Call['as'] = ['dreets', 'agent-1', 'Bretagne'];
  const disguised = ['Dupont\u0000', 'Du\u001Fpont', 'Dupont\u007F', 'Dupont\u202Etnop', '\u2066Dupont\u2069', 'Dupont\uD800', '\uDC00Dupont'];

  it('POST /candidates and POST /jurors: 400 problem+json for each, the ledger and the vault unchanged; a name in any script passes', async () => {
    const h = await memoryDeps();
    const call: Caller = (method, path, opts = {}) => callRoute(h.deps, method, path, { as: opts.as as Call['as'], body: opts.body });
    const centreId = await scenario(call).centre('RNCP38665', { validUntil: '2027-12-31' });
    await h.settle();
    const before = await commitCount(h.deps);
    for (const name of disguised) {
      for (const [as, path, body] of [
        [['centre', centreId], '/candidates', { familyName: name, givenNames: 'Anne', birthDate: '1990-01-01' }],
        [['centre', centreId], '/candidates', { familyName: 'Dupont', givenNames: name, birthDate: '1990-01-01' }],
        [DREETS, '/jurors', { name }],
      ] as const) {
        const res = await callRoute(h.deps, 'POST', path, { as: as as Call['as'], body });
        expect([res.status, res.headers['content-type'], res.json.type], JSON.stringify(name)).toEqual([400, 'application/problem+json', '/problems/invalid-request']);
      }
    }
    expect(await commitCount(h.deps)).toBe(before);
    const fine = await callRoute(h.deps, 'POST', '/candidates', {
      as: ['centre', centreId],
      body: { familyName: 'Nguyễn-Øster 王 👩‍🔧', givenNames: 'Zoë', birthDate: '1990-01-01' },
    });
    expect(fine.status, fine.text).toBe(201);
  });
});

describe('labels and free text that pages and PDFs show: no control characters, line breaks (labels), bidi overrides (issue 17, D2)', () => {
  const DREETS: Call['as'] = ['dreets', 'agent-1', 'Bretagne'];
  const disguised = ['Centre\u0000', 'Centre\u00e4eAp\nLigne2', 'Cen\rtre', 'Centre\u202Eemolp', '\u2066Centre\u2069', 'Centre\uD800', 'Centre\u0007'];

  it('POST /centres: 400 problem+json naming body.name for each, the ledger unchanged; a name with accents and apostrophes passes', async () => {
    const h = await memoryDeps();
    const before = await commitCount(h.deps);
    for (const name of disguised) {
      const res = await callRoute(h.deps, 'POST', '/centres', { as: DREETS, body: { name, region: 'Bretagne' } });
      expect([res.status, res.headers['content-type'], res.json.type], JSON.stringify(name)).toEqual([400, 'application/problem+json', '/problems/invalid-request']);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(['body.name']);
    }
    expect(await commitCount(h.deps)).toBe(before);
    const fine = await callRoute(h.deps, 'POST', '/centres', { as: DREETS, body: { name: "Centre d’Études Saint-Éloi (l'AFPA)", region: 'Bretagne' } });
    expect(fine.status, fine.text).toBe(201);
  });

  it('reasons and legal bases (revocations, annulments, recusals, équivalences, overridden assessments) keep their line feeds and refuse the rest', () => {
    const texts = [StatusChangeBody.shape.reason, StatusChangeBody.shape.legalBasis, AnnulmentBody.shape.reason, RecusalBody.shape.reason];
    for (const schema of texts) {
      expect(z.safeParse(schema, 'Décision du jury.\nArticle R338-6 du code de l’éducation').success).toBe(true);
      for (const text of ['Motif\u0000', 'Motif\r\nsuite', 'Motif\u202E', 'Motif\u0007', '\uDC00Motif'])
        expect(z.safeParse(schema, text).success, JSON.stringify(text)).toBe(false);
    }
    expect(z.safeParse(DeliberationBody.shape.assessmentsOverridden, 'Le jury\u202E').success).toBe(false);
    const equivalence = { rncp: 'RNCP38665', blocs: [], decidedOn: '2025-09-01' };
    expect(z.safeParse(equivalenceRoute.body!, { ...equivalence, legalBasis: 'Art. R338-6\nsuite' }).success).toBe(true);
    expect(z.safeParse(equivalenceRoute.body!, { ...equivalence, legalBasis: 'Art. R338-6\u0000' }).success).toBe(false);
    expect(z.safeParse(Label, 'Ligne 1\nLigne 2').success).toBe(false);
  });
});
