import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, signLocalToken } from '../../functions/local/local-token.js';
import { routes, routeKey } from '../../functions/routes.js';
import type { Role } from '../../functions/shared/auth.js';
import { scenario, type Caller } from '../support/scenario.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { commitCount } from '../support/call-route.js';

const RNCP = 'RNCP38665';
const ROLES: Role[] = ['centre', 'juror', 'dreets', 'ministry', 'candidate'];

interface World {
  centreA: string;
  centreB: string;
  jurorA: string;
  jurorB: string;
  sessionA: string;
  sessionB: string;
  candidateA: string;
  candidateB: string;
  /** Centre B's candidate whose data the erasure route erases: an erased person's tokens are refused from then on (401). */
  erased: string;
  code: string;
}

type Sub = (w: World) => string;
interface Expectation {
  path: (w: World) => string;
  body?: (w: World) => unknown;
  /** The caller that owns the resource, per allowed role (default: a generic agent of that role). */
  owner?: Partial<Record<Role, Sub>>;
  /** A caller of an allowed role who does not own it: must get 403. */
  foreign?: Partial<Record<Role, Sub>>;
  /** Territorial routes (DESIGN.md rule 16): the DREETS agent of the owner's region gets through, another region's gets 403. */
  regions?: { owner: string; foreign: string };
}

/**
 * THE TABLE: every route of the manifest, how to call it, who owns what. Roles outside the manifest's `auth`
 * must get 403; owners must get through (any answer but 401/403); foreign owners 403; bad tokens 401.
 */
const table: Record<string, Expectation> = {
  'GET /health': { path: () => '/health' },
  'GET /openapi.json': { path: () => '/openapi.json' },
  'GET /certifications': { path: () => '/certifications' },
  'GET /certifications/{rncp}': { path: () => `/certifications/${RNCP}` },
  'POST /candidates': { path: () => '/candidates', body: () => ({ familyName: 'Matrice', givenNames: 'Test', birthDate: '1990-01-01' }), owner: { centre: (w) => w.centreA } },
  'GET /candidates/{candidateId}/record': {
    path: (w) => `/candidates/${w.candidateA}/record`,
    owner: { candidate: (w) => w.candidateA, centre: (w) => w.centreA },
    foreign: { candidate: (w) => w.candidateB, centre: (w) => w.centreB },
  },
  'GET /candidates/{candidateId}/notifications': {
    path: (w) => `/candidates/${w.candidateA}/notifications`,
    owner: { candidate: (w) => w.candidateA, centre: (w) => w.centreA },
    foreign: { candidate: (w) => w.candidateB, centre: (w) => w.centreB },
  },
  'POST /candidates/{candidateId}/trainings': {
    path: (w) => `/candidates/${w.candidateA}/trainings`,
    body: () => ({ rncp: RNCP, route: 'formation_continue', endsOn: '2026-04-30' }),
    owner: { centre: (w) => w.centreA },
    foreign: { centre: (w) => w.centreB },
  },
  'POST /candidates/{candidateId}/vae-recevabilite': {
    path: (w) => `/candidates/${w.candidateB}/vae-recevabilite`,
    body: () => ({ rncp: RNCP, decidedOn: '2025-09-01' }),
    regions: { owner: 'Occitanie', foreign: 'Bretagne' },
  },
  'POST /candidates/{candidateId}/equivalences': {
    path: (w) => `/candidates/${w.candidateB}/equivalences`,
    body: () => ({ rncp: RNCP, blocs: ['RNCP38665BC01'], decidedOn: '2025-09-01', legalBasis: 'annexe équivalences' }),
    regions: { owner: 'Occitanie', foreign: 'Bretagne' },
  },
  'POST /candidates/{candidateId}/insertion-surveys': {
    path: (w) => `/candidates/${w.candidateA}/insertion-surveys`,
    body: () => ({ horizon: '6m', situation: 'employed_target_job' }),
    owner: { centre: (w) => w.centreA },
    foreign: { centre: (w) => w.centreB },
  },
  'POST /candidates/{candidateId}/accounts': {
    path: (w) => `/candidates/${w.candidateA}/accounts`,
    body: () => ({ email: 'matrice-candidat@exemple.fr' }),
    owner: { centre: (w) => w.centreA },
    foreign: { centre: (w) => w.centreB },
  },
  'DELETE /candidates/{candidateId}/accounts/{email}': {
    path: (w) => `/candidates/${w.candidateA}/accounts/matrice-candidat%40exemple.fr`,
    owner: { centre: (w) => w.centreA },
    foreign: { centre: (w) => w.centreB },
  },
  'DELETE /candidates/{candidateId}/personal-data': { path: (w) => `/candidates/${w.erased}/personal-data`, regions: { owner: 'Occitanie', foreign: 'Bretagne' } },
  'GET /centres': { path: () => '/centres?region=Bretagne', regions: { owner: 'Bretagne', foreign: 'Occitanie' } },
  'GET /centres/{centreId}': { path: (w) => `/centres/${w.centreA}`, owner: { centre: (w) => w.centreA }, foreign: { centre: (w) => w.centreB } },
  'GET /centres/{centreId}/candidates': { path: (w) => `/centres/${w.centreA}/candidates`, owner: { centre: (w) => w.centreA }, foreign: { centre: (w) => w.centreB } },
  'GET /jurors': { path: () => `/jurors?rncp=${RNCP}` },
  'GET /jurors/{jurorId}/sessions': { path: (w) => `/jurors/${w.jurorA}/sessions`, owner: { juror: (w) => w.jurorA }, foreign: { juror: (w) => w.jurorB } },
  'GET /candidates/{candidateId}/access-log': {
    path: (w) => `/candidates/${w.candidateA}/access-log`,
    owner: { candidate: (w) => w.candidateA },
    foreign: { candidate: (w) => w.candidateB },
  },
  'GET /statistics/exports/{exportId}': { path: () => '/statistics/exports/2025-p1' },
  'POST /centres': { path: () => '/centres', body: () => ({ name: 'Centre matrice', region: 'Normandie' }), regions: { owner: 'Normandie', foreign: 'Bretagne' } },
  'GET /centres/{centreId}/sessions': { path: (w) => `/centres/${w.centreA}/sessions`, owner: { centre: (w) => w.centreA }, foreign: { centre: (w) => w.centreB } },
  'POST /centres/{centreId}/agrements': {
    path: (w) => `/centres/${w.centreB}/agrements`,
    body: () => ({ rncp: RNCP, validUntil: '2027-12-31' }),
    regions: { owner: 'Occitanie', foreign: 'Bretagne' },
  },
  'POST /centres/{centreId}/accounts': {
    path: (w) => `/centres/${w.centreB}/accounts`,
    body: () => ({ email: 'matrice-centre@exemple.fr' }),
    regions: { owner: 'Occitanie', foreign: 'Bretagne' },
  },
  'DELETE /centres/{centreId}/accounts/{email}': {
    path: (w) => `/centres/${w.centreB}/accounts/matrice-centre%40exemple.fr`,
    regions: { owner: 'Occitanie', foreign: 'Bretagne' },
  },
  'POST /jurors': { path: () => '/jurors', body: () => ({ name: 'Juré matrice' }) },
  'POST /jurors/{jurorId}/habilitations': {
    path: (w) => `/jurors/${w.jurorB}/habilitations`,
    body: () => ({ rncp: RNCP, validUntil: '2027-12-31' }),
    regions: { owner: 'Bretagne', foreign: 'Occitanie' },
  },
  'POST /jurors/{jurorId}/accounts': {
    path: (w) => `/jurors/${w.jurorB}/accounts`,
    body: () => ({ email: 'matrice-jure@exemple.fr' }),
    regions: { owner: 'Bretagne', foreign: 'Occitanie' },
  },
  'DELETE /jurors/{jurorId}/accounts/{email}': { path: (w) => `/jurors/${w.jurorB}/accounts/matrice-jure%40exemple.fr`, regions: { owner: 'Bretagne', foreign: 'Occitanie' } },
  'POST /sessions': {
    path: () => '/sessions',
    body: (w) => ({ rncp: RNCP, kind: 'titre', centreId: w.centreA, startsOn: '2026-01-12', endsOn: '2026-01-12' }),
    owner: { centre: (w) => w.centreA },
    foreign: { centre: (w) => w.centreB },
  },
  'GET /sessions/{sessionId}': {
    path: (w) => `/sessions/${w.sessionA}`,
    owner: { centre: (w) => w.centreA, juror: (w) => w.jurorA },
    foreign: { centre: (w) => w.centreB, juror: (w) => w.jurorB },
  },
  'PUT /sessions/{sessionId}/jury': {
    path: (w) => `/sessions/${w.sessionB}/jury`,
    body: (w) => ({ members: [w.jurorB] }),
    owner: { centre: (w) => w.centreB },
    foreign: { centre: (w) => w.centreA },
  },
  'POST /sessions/{sessionId}/enrolments': {
    path: (w) => `/sessions/${w.sessionB}/enrolments`,
    body: (w) => ({ candidateId: w.candidateB, route: 'formation_continue' }),
    owner: { centre: (w) => w.centreB },
    foreign: { centre: (w) => w.centreA },
  },
  'DELETE /sessions/{sessionId}/enrolments/{candidateId}': {
    path: (w) => `/sessions/${w.sessionB}/enrolments/${w.candidateB}`,
    owner: { centre: (w) => w.centreB },
    foreign: { centre: (w) => w.centreA },
  },
  'POST /sessions/{sessionId}/recusals': {
    path: (w) => `/sessions/${w.sessionB}/recusals`,
    body: (w) => ({ candidateId: w.candidateB, jurorId: w.jurorB, reason: 'lien' }),
    owner: { juror: (w) => w.jurorB, centre: (w) => w.centreB },
    foreign: { juror: (w) => w.jurorA, centre: (w) => w.centreA },
    regions: { owner: 'Occitanie', foreign: 'Bretagne' },
  },
  'POST /sessions/{sessionId}/accommodations': {
    path: (w) => `/sessions/${w.sessionB}/accommodations`,
    body: (w) => ({ candidateId: w.candidateB, measures: 'tiers temps' }),
    regions: { owner: 'Occitanie', foreign: 'Bretagne' },
  },
  'POST /sessions/{sessionId}/assessments': {
    path: (w) => `/sessions/${w.sessionB}/assessments`,
    body: (w) => ({ candidateId: w.candidateB, bloc: 'RNCP38665BC01', competences: [{ code: 'RNCP38665BC01C1', result: 'acquis' }] }),
    owner: { juror: (w) => w.jurorB },
    foreign: { juror: (w) => w.jurorA },
  },
  'POST /sessions/{sessionId}/deliberations': {
    path: (w) => `/sessions/${w.sessionB}/deliberations`,
    body: (w) => ({ candidateId: w.candidateB, outcome: 'ajourne', blocs: [] }),
    owner: { juror: (w) => w.jurorB },
    foreign: { juror: (w) => w.jurorA },
  },
  'POST /sessions/{sessionId}/deliberations/{candidateId}/signatures': {
    path: (w) => `/sessions/${w.sessionB}/deliberations/${w.candidateB}/signatures`,
    owner: { juror: (w) => w.jurorB },
    foreign: { juror: (w) => w.jurorA },
  },
  'POST /sessions/{sessionId}/pv-validation': { path: (w) => `/sessions/${w.sessionB}/pv-validation`, regions: { owner: 'Occitanie', foreign: 'Bretagne' } },
  'POST /sessions/{sessionId}/deliberations/{candidateId}/annulment': {
    path: (w) => `/sessions/${w.sessionA}/deliberations/${w.candidateA}/annulment`,
    body: () => ({ reason: 'matrice', legalBasis: 'test' }),
    regions: { owner: 'Bretagne', foreign: 'Occitanie' },
  },
  'GET /verify/{code}': { path: (w) => `/verify/${w.code}` },
  'GET /certificates/{code}/credential': { path: (w) => `/certificates/${w.code}/credential` },
  'GET /certificates/{code}/pdf': { path: (w) => `/certificates/${w.code}/pdf` },
  'GET /certificates/{code}/verifications': {
    path: (w) => `/certificates/${w.code}/verifications`,
    owner: { candidate: (w) => w.candidateA },
    foreign: { candidate: (w) => w.candidateB },
  },
  'POST /certificates/{code}/suspension': {
    path: (w) => `/certificates/${w.code}/suspension`,
    body: () => ({ reason: 'vérification', legalBasis: 'test' }),
    regions: { owner: 'Bretagne', foreign: 'Occitanie' },
  },
  'POST /certificates/{code}/reinstatement': {
    path: (w) => `/certificates/${w.code}/reinstatement`,
    body: () => ({ reason: 'vérifié', legalBasis: 'test' }),
    regions: { owner: 'Bretagne', foreign: 'Occitanie' },
  },
  'POST /certificates/{code}/revocation': {
    path: (w) => `/certificates/${w.code}/revocation`,
    body: () => ({ reason: 'fraude', legalBasis: 'test' }),
    regions: { owner: 'Bretagne', foreign: 'Occitanie' },
  },
  'GET /.well-known/jwks.json': { path: () => '/.well-known/jwks.json' },
  'GET /.well-known/did.json': { path: () => '/.well-known/did.json' },
  'GET /.well-known/jwt-vc-issuer/certifiers/{certifier}': { path: () => '/.well-known/jwt-vc-issuer/certifiers/ministere-du-travail-du-plein-emploi-et-de-l-insertion' },
  'GET /credential-types/{type}': { path: () => '/credential-types/titre-professionnel' },
  'GET /certifiers/{certifier}/did.json': { path: () => '/certifiers/ministere-du-travail-du-plein-emploi-et-de-l-insertion/did.json' },
  'GET /candidates/{candidateId}/credential-offers/{code}': {
    path: (w) => `/candidates/${w.candidateA}/credential-offers/${w.code}`,
    owner: { candidate: (w) => w.candidateA },
    foreign: { candidate: (w) => w.candidateB },
  },
  'GET /candidates/{candidateId}/certificates/{code}/pdf': {
    path: (w) => `/candidates/${w.candidateA}/certificates/${w.code}/pdf`,
    owner: { candidate: (w) => w.candidateA },
    foreign: { candidate: (w) => w.candidateB },
  },
  'GET /.well-known/{document}': { path: () => '/.well-known/openid-credential-issuer' },
  'POST /oid4vci/{endpoint}': { path: () => '/oid4vci/nonce' },
  'GET /status-lists/{listId}': { path: () => '/status-lists/ministere-du-travail-du-plein-emploi-et-de-l-insertion-1' },
  'GET /statistics': { path: () => `/statistics?rncp=${RNCP}&year=2025` },
  'POST /statistics/exports': { path: () => '/statistics/exports', body: () => ({ year: 2025 }) },
  'POST /_local/clock': { path: () => '/_local/clock', body: () => ({ now: '2025-10-07T18:00:00Z' }) },
  'POST /_local/tokens': { path: () => '/_local/tokens', body: () => ({ role: 'dreets', ledgerId: 'agent-1' }) },
};

/** A centre token whose ledger id no DREETS ever registered. */
const GHOST_CENTRE = 'centre-ghost';
const genericSub: Record<Role, string> = { centre: 'centre-x', juror: 'juror-x', dreets: 'agent-1', ministry: 'ministry-1', candidate: 'candidate-x' };

describe('authorisation matrix: every route, every role, every owner, every bad token', () => {
  let L: LocalLedger;
  let w: World;
  const unexpected: string[] = [];

  beforeAll(async () => {
    L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
    const call: Caller = (method, path, opts = {}) => L.call(method, path, { as: opts.as as never, body: opts.body, headers: opts.headers });
    const s = scenario(call);
    const centreA = await s.centre(RNCP, { validUntil: '2027-12-31', region: 'Bretagne' });
    const centreB = await s.centre(RNCP, { validUntil: '2027-12-31', region: 'Occitanie' });
    const jurorsA = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
    const jurorsB = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
    const blocs = await s.blocs(RNCP);
    const candidateA = await s.candidate(centreA, 'Alpha');
    const candidateB = await s.candidate(centreB, 'Beta');
    const erased = await s.candidate(centreB, 'Gamma');
    const sessionA = await s.session(centreA, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' }, jurorsA);
    const sessionB = await s.session(centreB, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' }, jurorsB);
    await s.enrol(centreA, sessionA, candidateA);
    await s.enrol(centreB, sessionB, candidateB);
    await L.call('POST', '/_local/clock', { body: { now: '2025-10-06T15:00:00Z' } });
    await s.deliberate(
      sessionA,
      jurorsA,
      candidateA,
      'titre',
      blocs,
      blocs.map((b) => b.code),
    );
    await s.validatePv(sessionA);
    await L.settle();
    const record = (await L.call('GET', `/candidates/${candidateA}/record`, { as: ['candidate', candidateA] })).json;
    w = { centreA, centreB, jurorA: jurorsA[0]!, jurorB: jurorsB[0]!, sessionA, sessionB, candidateA, candidateB, erased, code: record.certificates[0].code };
  }, 120_000);
  afterAll(async () => {
    await L?.stop();
  });

  const send = async (method: string, path: string, body: unknown, authorization?: string) => {
    const headers: Record<string, string> = authorization ? { authorization } : {};
    return L.call(method, path, { body, headers });
  };

  it('has an expectation for every route of the manifest', () => {
    expect(Object.keys(table).sort()).toEqual(routes.map(routeKey).sort());
  });

  for (const entry of routes) {
    const key = routeKey(entry);
    it(key, async () => {
      const e = table[key]!;
      const path = e.path(w);
      const body = e.body?.(w);
      const check = (who: string, status: number, ok: (s: number) => boolean) => {
        if (!ok(status)) unexpected.push(`${key} as ${who}: ${status}`);
        expect(ok(status), `${key} as ${who} answered ${status}`).toBe(true);
      };

      const fresh = await signLocalToken(L.keys, 'dreets', 'agent-1');
      const expired = await signLocalToken(L.keys, 'dreets', 'agent-1', { ttlSeconds: -60 });
      const stranger = await generateKeyPair('ES256');
      const foreignKey = await new SignJWT({ 'cognito:groups': ['dreets'] })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject('agent-1')
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setExpirationTime('1h')
        .sign(stranger.privateKey);
      const [h, p, sig] = fresh.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      const tampered = [h, Buffer.from(JSON.stringify({ ...claims, 'custom:ledger_id': 'agent-2' })).toString('base64url'), sig].join('.');
      const noneAlg = [Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'), p, ''].join('.');
      const badTokens: [string, string | undefined][] = [
        ['no token', undefined],
        ['an expired token', `Bearer ${expired}`],
        ['a token signed by another key', `Bearer ${foreignKey}`],
        ['a tampered token', `Bearer ${tampered}`],
        ['an unsigned token', `Bearer ${noneAlg}`],
        ['a malformed header', `Basic ${Buffer.from('a:b').toString('base64')}`],
      ];

      if (entry.auth === 'public') {
        for (const [who, auth] of badTokens.slice(0, 2)) check(who, (await send(entry.method, path, body, auth)).status, (s) => s !== 401 && s !== 403 && s < 500);
        return;
      }
      for (const [who, auth] of badTokens) check(who, (await send(entry.method, path, body, auth)).status, (s) => s === 401);
      // A genuine token of an account never linked to the ledger (no custom:ledger_id): 403, whatever its role or sub.
      const unlinked = await new SignJWT({ 'cognito:groups': [entry.auth[0]], token_use: 'id' })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject(genericSub[entry.auth[0]!])
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setExpirationTime('1h')
        .sign(L.keys.privateKey);
      const unlinkedAnswer = await send(entry.method, path, body, `Bearer ${unlinked}`);
      check('an account without custom:ledger_id', unlinkedAnswer.status, (s) => s === 403);
      // A genuine centre token for an id no DREETS registered (issue 17): every centre command refused, nothing appended.
      if (entry.auth.includes('centre') && entry.method !== 'GET') {
        await L.settle();
        const before = await commitCount(L.deps);
        const ghostBody = entry.path === '/sessions' ? { ...(body as object), centreId: GHOST_CENTRE } : body;
        const ghost = await L.call(entry.method, path, { as: ['centre', GHOST_CENTRE], body: ghostBody });
        check(`centre ${GHOST_CENTRE} (never registered)`, ghost.status, (s) => s === 403 || s === 404);
        if (entry.path === '/candidates' || entry.path === '/sessions') expect(ghost.json.type).toBe('/problems/centre-not-registered');
        await L.settle();
        expect(await commitCount(L.deps)).toBe(before);
      }
      for (const role of ROLES) {
        const allowed = entry.auth.includes(role);
        const owner = e.owner?.[role]?.(w) ?? genericSub[role];
        const region = role === 'dreets' ? e.regions?.owner : undefined;
        const res = await L.call(entry.method, path, { as: [role, owner, region], body });
        if (!allowed) check(`${role} (not allowed)`, res.status, (s) => s === 403);
        else check(`${role} ${owner}`, res.status, (s) => s !== 401 && s !== 403 && s < 500);
        const foreign = e.foreign?.[role]?.(w);
        if (allowed && foreign) check(`${role} ${foreign} (not the owner)`, (await L.call(entry.method, path, { as: [role, foreign], body })).status, (s) => s === 403);
        if (allowed && role === 'dreets' && e.regions) {
          check(
            `dreets of ${e.regions.foreign} (outside its territory)`,
            (await L.call(entry.method, path, { as: ['dreets', owner, e.regions.foreign], body })).status,
            (s) => s === 403,
          );
          check('dreets without region', (await L.call(entry.method, path, { as: ['dreets', owner], body })).status, (s) => s === 403);
        }
      }
    });
  }

  it('zero unexpected successes or refusals across the whole matrix', () => {
    expect(unexpected).toEqual([]);
  });
});
