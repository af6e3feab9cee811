import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import openapi from '../../functions/openapi/openapi.json' with { type: 'json' };
import { routeKey, routes } from '../../functions/routes.js';

const root = join(import.meta.dirname, '..', '..');
const apiMd = readFileSync(join(root, '..', 'shared', 'API.md'), 'utf8');

/** The routes of API.md's table: each `METHOD /path` of a row (a row may list several), its query left out. */
function tableRoutes() {
  const rows = apiMd.split('\n').filter((line) => /^\| (GET|POST|PUT|DELETE) \//.test(line));
  return rows.flatMap((row) => {
    const [first = '', , answer = ''] = row.split(/(?<!\\)\|/).slice(1);
    let method = '';
    let path = '';
    const found: { key: string }[] = [];
    for (const part of first.split(',').map((p) => p.trim())) {
      const m = part.match(/^(?:(GET|POST|PUT|DELETE) )?(\/[^\s?]*)/);
      if (!m) continue;
      // "/reinstatement" after "POST /certificates/{code}/suspension": the same resource, another last segment.
      path = m[1] || !path ? m[2]! : `${path.slice(0, path.lastIndexOf('/'))}${m[2]}`;
      method = m[1] ?? method;
      found.push({ key: `${method} ${path}` });
    }
    // A DELETE told in the answer column: "DELETE /centres/{centreId}/accounts/{email}" or "DELETE …/accounts/{email}".
    for (const d of answer.matchAll(/DELETE (\/\S+|…\/\S+)/g)) {
      const tail = d[1]!.replace(/[.,;]$/, '');
      const full = tail.startsWith('…') ? `${path.slice(0, path.lastIndexOf(tail.slice(1).split('/')[1]!) - 1)}${tail.slice(1)}` : tail;
      found.push({ key: `DELETE ${full}` });
    }
    return found;
  });
}

/**
 * Routes the manifest serves that API.md's table does not list, each with why: the only ones allowed. API.md is
 * binding and read-only here; a difference goes to whoever keeps it.
 */
const BEYOND_THE_TABLE: Record<string, string> = {
  'DELETE /candidates/{candidateId}/accounts/{email}':
    'the centre disables a candidate account it invited, as for centres and jurors (README "Accounts"); API.md names only the POST for candidates',
  'GET /.well-known/jwt-vc-issuer/certifiers/{certifier}':
    'SD-JWT VC issuer metadata of each certifier: a wallet finds the keys of an `iss` with a path there (SD-JWT VC draft, issuer metadata); API.md lists the host-wide document only',
  'DELETE /sessions/{sessionId}/enrolments/{candidateId}':
    'the centre withdraws a candidate nobody assessed before the PV, giving back their titre seat (issue 17: a session abandoned without a PV kept the candidate from any other titre session of the version); API.md has no way to end an enrolment short of the PV',
  'GET /credential-types/{type}': 'the SD-JWT VC type metadata a `vct` URL resolves to (SD-JWT VC draft, type metadata); not in API.md',
};

/** Whether a manifest route serves a route of the table: the same method, and each segment equal or a {parameter} of the manifest (`/.well-known/{document}` serves `/.well-known/jwt-vc-issuer`). */
function serves(manifestKey: string, tableKey: string) {
  const [method, path = ''] = manifestKey.split(' ');
  const [tableMethod, tablePath = ''] = tableKey.split(' ');
  const segments = path.split('/');
  const wanted = tablePath.split('/');
  return method === tableMethod && segments.length === wanted.length && segments.every((s, i) => s === wanted[i] || /^\{\w+\}$/.test(s));
}

describe('the route table of ../shared/API.md, the manifest and the OpenAPI document agree', () => {
  const table = tableRoutes();
  const manifest = routes.filter((r) => !r.localOnly).map(routeKey);

  it('reads the table', () => {
    expect(table.length).toBeGreaterThan(50);
    expect(table.map((r) => r.key)).toEqual(expect.arrayContaining(['GET /health', 'POST /certificates/{code}/revocation', 'GET /jurors', 'GET /statistics/exports/{exportId}']));
  });

  it('every route of the manifest is in API.md', () => {
    expect(manifest.filter((key) => !table.some((r) => serves(key, r.key)) && !BEYOND_THE_TABLE[key])).toEqual([]);
  });

  it('every route of API.md is served, marked new or not, with no gap', () => {
    expect(table.filter((r) => !manifest.some((key) => serves(key, r.key))).map((r) => r.key)).toEqual([]);
  });

  it('the OpenAPI document has every route of the manifest, and no other', () => {
    const documented = Object.entries(openapi.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([...manifest].sort());
  });
});
