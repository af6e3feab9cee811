import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import { followers, projections } from '../../functions/projections/index.js';
import { Projector } from '../../functions/projections/projector.js';
import { loadReferential } from '../../functions/referential/load-referential.js';
import { CommandHandler } from '../../functions/shared/command-handler.js';
import type { LedgerDeps } from '../../functions/shared/deps.js';
import { FICHE_COLUMNS, STATISTICS_COLUMNS } from '../../functions/statistics/statistics-csv.js';
import { REGIONS } from '../../referential/regions.js';
import { computeStatistics, lineageHeads, lineageOf, percent, readStatisticsFacts } from '../../functions/statistics/statistics-report.js';
import type { AccessRoute } from '../../events/certification.js';
import type { LedgerEvent } from '../../events/registry.js';
import { callRoute } from '../support/call-route.js';
import { appendEvents } from '../support/ledger-history.js';
import { memoryDeps } from '../support/memory-deps.js';

const ministry: [string, string] = ['ministry', 'dgefp-1'];
const BC = ['RNCP32340BC01', 'RNCP32340BC02'];
const NEW_BC = ['RNCP38665BC01', 'RNCP38665BC02'];

describe('rates', () => {
  it('are whole percentages rounded half up, exactly, and null without a denominator', () => {
    expect(percent(33, 52)).toBe(63); // 63.46
    expect(percent(31, 50)).toBe(62);
    expect(percent(5, 8)).toBe(63); // 62.5
    expect(percent(1, 8)).toBe(13); // 12.5
    expect(percent(1, 3)).toBe(33);
    expect(percent(2, 3)).toBe(67);
    expect(percent(0, 7)).toBe(0);
    expect(percent(7, 7)).toBe(100);
    expect(percent(0, 0)).toBeNull();
  });
});

/**
 * Facts appended straight to the ledger (the deciders are tested elsewhere), projected by the real projector,
 * read through the route manifest as the ministry.
 */
describe('GET /statistics and POST /statistics/exports over fact documents', () => {
  let deps: LedgerDeps;
  let store: MemoryEventStore;
  let readModels: MemoryReadModelStore;

  const session = async (sessionId: string, rncp: string, centreId: string, enrolments: [string, AccessRoute, 'titre' | 'ccp' | 'ajourne' | 'absent'][], validatedOn?: string) => {
    const blocs = rncp === 'RNCP38665' ? NEW_BC : rncp === 'RNCP12505' ? ['RNCP12505BC01', 'RNCP12505BC02', 'RNCP12505BC03'] : BC;
    const stream = `session#${sessionId}`;
    await appendEvents(store, stream, [{ type: 'SessionScheduled', data: { sessionId, rncp, kind: 'titre', blocs, centreId, startsOn: '2022-03-07', endsOn: '2022-03-09' } }]);
    for (const [candidateId, route] of enrolments) await appendEvents(store, stream, [{ type: 'CandidateEnrolled', data: { candidateId, route, blocs } }]);
    for (const [candidateId, , outcome] of enrolments) {
      const acquired = outcome === 'titre' ? blocs : outcome === 'ccp' ? [blocs[0]!] : [];
      await appendEvents(store, stream, [{ type: 'DeliberationFinalised', data: { candidateId, outcome, blocs: acquired, finalInterviewHeld: outcome === 'titre' } }]);
    }
    if (!validatedOn) return;
    await appendEvents(store, stream, [{ type: 'PvValidated', data: { validatedBy: 'agent-1', validatedOn } }]);
    for (const [candidateId, , outcome] of enrolments) {
      const events: LedgerEvent[] = [{ type: 'CandidateRegistered', data: { candidateId, registeredBy: centreId } }];
      if (outcome === 'titre' || outcome === 'ccp') {
        for (const bloc of outcome === 'titre' ? blocs : [blocs[0]!])
          events.push({ type: 'CcpAcquired', data: { candidateId, rncp, bloc, acquiredOn: validatedOn, via: { kind: 'session', sessionId } } });
      }
      if (outcome === 'titre') events.push({ type: 'TitreIssued', data: { candidateId, rncp, issuedOn: validatedOn, sessionId, blocs, route: 'session' } });
      await appendEvents(store, `candidate#${candidateId}`, events);
    }
  };
  const survey = (candidateId: string, horizon: '6m' | '24m', situation: 'employed_target_job' | 'employed_other' | 'unemployed' | 'neutralised') =>
    appendEvents(store, `candidate#${candidateId}`, [{ type: 'InsertionSurveyRecorded', data: { candidateId, horizon, situation, recordedBy: 'ministry:dgefp-1' } }]);
  const get = (query: string, as = ministry) => callRoute(deps, 'GET', `/statistics${query}`, { as });

  beforeAll(async () => {
    store = new MemoryEventStore();
    readModels = new MemoryReadModelStore();
    const base = await memoryDeps({ referential: false });
    deps = { ...base.deps, store, readModels, commands: new CommandHandler(store) };
    await loadReferential(deps.commands, base.clock);

    await appendEvents(store, 'centre#roubaix', [{ type: 'CentreRegistered', data: { centreId: 'roubaix', name: 'AFPA Roubaix', region: 'Hauts-de-France' } }]);
    await appendEvents(store, 'centre#rennes', [{ type: 'CentreRegistered', data: { centreId: 'rennes', name: 'GRETA Rennes', region: 'Bretagne' } }]);
    // 2022, RNCP32340: a titre, a titre via VAE later annulled, a CCP, an ajourné, an absent.
    await session(
      's1',
      'RNCP32340',
      'roubaix',
      [
        ['a', 'formation_continue', 'titre'],
        ['b', 'vae', 'titre'],
        ['c', 'apprentissage', 'ccp'],
        ['d', 'formation_continue', 'ajourne'],
        ['e', 'contrat_professionnalisation', 'absent'],
      ],
      '2022-03-10',
    );
    // 2022 too, at another centre: a titre via VAE.
    await session('s2', 'RNCP32340', 'rennes', [['f', 'vae', 'titre']], '2022-11-30');
    // PV still open: counts in no year.
    await session('s3', 'RNCP32340', 'rennes', [['g', 'formation_continue', 'ajourne']]);
    // 2018 on the oldest version of the lineage, 2024 on the newest.
    await session('s4', 'RNCP12505', 'roubaix', [['h', 'formation_continue', 'titre']], '2018-06-01');
    await session('s5', 'RNCP38665', 'rennes', [['i', 'apprentissage', 'titre']], '2024-07-01');

    await survey('a', '6m', 'employed_target_job');
    await survey('a', '24m', 'employed_other');
    await survey('b', '6m', 'employed_target_job'); // about a titre annulled below: not counted
    await survey('c', '6m', 'employed_other'); // a CCP only: not a certified respondent
    await survey('f', '6m', 'neutralised');
    await survey('f', '24m', 'employed_target_job');
    await appendEvents(store, 'session#s1', [{ type: 'DecisionAnnulled', data: { candidateId: 'b', reason: 'fraude', legalBasis: 'R338-7', annulledBy: 'agent-1' } }]);
    await appendEvents(store, 'candidate#b', [
      { type: 'TitreAnnulled', data: { candidateId: 'b', rncp: 'RNCP32340', sessionId: 's1', reason: 'fraude', legalBasis: 'R338-7' } },
      ...BC.map((bloc) => ({
        type: 'CcpAcquisitionAnnulled' as const,
        data: { candidateId: 'b', rncp: 'RNCP32340', bloc, sessionId: 's1', reason: 'fraude', legalBasis: 'R338-7' },
      })),
    ]);
    await new Projector(store, readModels, projections, followers).replayAll();
  });

  it('follows the lineage back through predecessors and revisions', async () => {
    const { facts } = readStatisticsFacts(readModels);
    expect(lineageOf('RNCP38665', facts.catalogue)).toEqual(['RNCP38665', 'RNCP32340', 'RNCP12505']);
    expect(lineageOf('RNCP32340', facts.catalogue)).toEqual(['RNCP32340', 'RNCP12505']);
    expect(lineageHeads(facts.catalogue)).toEqual(['RNCP38665', 'SEED004']);
  });

  it('counts a year of a lineage, with its breakdowns and the position it reflects', async () => {
    const res = await get('?rncp=RNCP38665&year=2022');
    expect(res.status, res.text).toBe(200);
    expect(res.json.position).toBeGreaterThan(0);
    // The rollups read give what the definition gives over every fact document of the ledger.
    expect(res.json.rows).toEqual(computeStatistics(readStatisticsFacts(readModels).facts, { rncp: 'RNCP38665', year: 2022 }));
    expect(res.json.rows).toHaveLength(1);
    const row = res.json.rows[0];
    expect(row).toMatchObject({
      year: 2022,
      rncp: 'RNCP38665',
      lineage: ['RNCP38665', 'RNCP32340', 'RNCP12505'],
      enrolled: 6,
      present: 4, // a, c, d, f: b's decision is annulled, e was absent
      certified: 2, // a, f
      certifiedViaVae: 1, // f
      ccpIssued: 1, // c's bloc; a's blocs came with the titre, b's are annulled
      successRate: 50,
      insertion6mGlobal: 100, // a; f neutralised; b's titre annulled; c holds no titre
      insertion6mTargetJob: 100,
      insertion24mTargetJob: 50, // a employed elsewhere, f in the target job
      surveys: { '6m': { respondents: 2, neutralised: 1, employedTargetJob: 1 }, '24m': { respondents: 2, employedTargetJob: 1, employedOther: 1 } },
    });
    expect(row.byRoute).toEqual({
      apprentissage: { enrolled: 1, present: 1, certified: 0, certifiedViaVae: 0, ccpIssued: 1, successRate: 0 },
      contrat_professionnalisation: { enrolled: 1, present: 0, certified: 0, certifiedViaVae: 0, ccpIssued: 0, successRate: null },
      formation_continue: { enrolled: 2, present: 2, certified: 1, certifiedViaVae: 0, ccpIssued: 0, successRate: 50 },
      vae: { enrolled: 2, present: 1, certified: 1, certifiedViaVae: 1, ccpIssued: 0, successRate: 100 },
    });
    expect(row.byRegion).toMatchObject({ 'Hauts-de-France': { enrolled: 5, present: 3, certified: 1 }, Bretagne: { enrolled: 1, present: 1, certified: 1, certifiedViaVae: 1 } });
    expect(row.byCentre).toMatchObject({
      roubaix: { name: 'AFPA Roubaix', region: 'Hauts-de-France', enrolled: 5 },
      rennes: { name: 'GRETA Rennes', region: 'Bretagne', enrolled: 1 },
    });
  });

  it('includes predecessors, never successors, and answers every year of a lineage when no year is given', async () => {
    const all = await get('?rncp=RNCP38665');
    expect(all.json.rows.map((r: any) => [r.year, r.certified])).toEqual([
      [2018, 1],
      [2022, 2],
      [2024, 1],
    ]);
    const older = await get('?rncp=RNCP32340');
    expect(older.json.rows.map((r: any) => [r.year, r.certified])).toEqual([
      [2018, 1],
      [2022, 2],
    ]);
    expect((await get('?rncp=RNCP32340&year=2024')).json.rows).toMatchObject([
      { year: 2024, rncp: 'RNCP32340', enrolled: 0, certified: 0, successRate: null, insertion6mGlobal: null },
    ]);
    const year = await get('?year=2022');
    expect(year.json.rows.map((r: any) => [r.rncp, r.certified])).toEqual([
      ['RNCP38665', 2],
      ['SEED004', 0],
    ]);
  });

  it('gives the ministry’s CSV: UTF-8 with BOM, `;`, French headers, the fiche’s columns first, a fixed column set', async () => {
    const json = await get('?rncp=RNCP38665&year=2022');
    const res = await get('?rncp=RNCP38665&year=2022&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="statistiques-RNCP38665-2022.csv"');
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const [header, line, end] = res.text.slice(1).split('\r\n');
    expect(end).toBe('');
    const names = header!.split(';');
    expect(names.slice(0, 6)).toEqual([...FICHE_COLUMNS]);
    expect(names).toEqual(STATISTICS_COLUMNS.map((c) => c.header));
    // Every header French, none an API field name; every region one of the 18, as the referential spells it (apostrophe typographic).
    for (const name of names) expect(name).not.toMatch(/^(by|surveys|rncp$|position$)|\.|[a-z][A-Z]/);
    expect(names.filter((n) => n.startsWith('Inscrits — ')).map((n) => n.slice('Inscrits — '.length))).toEqual(
      expect.arrayContaining(['Bretagne', 'Île-de-France', 'Provence-Alpes-Côte d’Azur', 'La Réunion', 'région non renseignée']),
    );
    expect(names.filter((n) => REGIONS.some((r) => n === `Certifiés — ${r.name.replaceAll("'", '’')}`))).toHaveLength(18);
    // One apostrophe throughout the headers, and VAE as an acronym.
    for (const name of names) expect(name).not.toMatch(/'|\bvae\b/);
    const values = Object.fromEntries(names.map((n, i) => [n, line!.split(';')[i]]));
    expect(line!.startsWith('2022;2;1;100;100;50;RNCP38665;RNCP38665 RNCP32340 RNCP12505;6;4;1;50;')).toBe(true);
    expect(values['Certifiés — Validation des acquis de l’expérience (VAE)']).toBe('1');
    expect(values['Inscrits — Bretagne']).toBe('1');
    expect(values['Inscrits — Corse']).toBe('0');
    expect(values['Position du registre']).toBe(String(json.json.position));
    // The same columns for a year without data: they never follow the data.
    const empty = await get('?rncp=RNCP38665&year=2019&format=csv');
    expect(empty.text.slice(1).split('\r\n')[0]).toBe(header);
  });

  it('writes the export of a year to the exports bucket, and downloads it by its exportId', async () => {
    const res = await callRoute(deps, 'POST', '/statistics/exports', { as: ministry, body: { year: 2022 } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.key).toMatch(/^statistics\/2022\/.+\.csv$/);
    expect(res.json.exportId).toMatch(/^2022-p\d+$/);
    const stored = await deps.exports.get(res.json.key);
    expect(stored?.contentType).toMatch(/^text\/csv/);
    const csv = (await get('?year=2022&format=csv')).text;
    expect(Buffer.from(stored!.body).toString('utf8')).toBe(csv);
    const download = await callRoute(deps, 'GET', `/statistics/exports/${res.json.exportId}`, { as: ministry });
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="statistiques-${res.json.exportId}.csv"`);
    expect(download.text).toBe(csv);
    expect((await callRoute(deps, 'GET', '/statistics/exports/2022-p999999', { as: ministry })).json.type).toBe('/problems/export-not-found');
    expect((await callRoute(deps, 'GET', '/statistics/exports/statistics%2F2022', { as: ministry })).status).toBe(400);
    expect((await callRoute(deps, 'GET', `/statistics/exports/${res.json.exportId}`, { as: ['centre', 'c-1'] })).status).toBe(403);
  });

  it('is for the ministry, refuses bad input with 400 and an unknown certification with 404', async () => {
    expect((await get('?year=2022', ['centre', 'roubaix'])).status).toBe(403);
    expect((await callRoute(deps, 'GET', '/statistics?year=2022')).status).toBe(401);
    for (const bad of ['?year=22', '?year=abcd', '?rncp=rncp38665', '?format=xml']) {
      const res = await get(bad);
      expect(res.status, bad).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json');
    }
    expect((await callRoute(deps, 'POST', '/statistics/exports', { as: ministry, body: { year: '2022' } })).status).toBe(400);
    const unknown = await get('?rncp=RNCP99999');
    expect(unknown.status).toBe(404);
    expect(unknown.json.type).toBe('/problems/certification-not-found');
  });
});
