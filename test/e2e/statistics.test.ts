import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../functions/adapters/dynamodb-client.js';
import { activeReadModelTable } from '../../functions/local/read-model-table.js';
import { rebuildLocalReadModels } from '../../functions/local/rebuild.js';
import { TABLES } from '../../functions/local/runtime.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { scenario, type As } from '../support/scenario.js';

// Local only: the read models are rebuilt on the stopped data dir (npm run rebuild, a local command) and compared
// table for table; the ministry's statistics over HTTP alone are in journeys.test.ts, on both targets.

const CLOCK = 'virtual:2022-01-03T08:00:00Z';
const RNCP = 'RNCP32340';
const BLOCS = ['RNCP32340BC01', 'RNCP32340BC02'];
const MINISTRY: As = ['ministry', 'dgefp-1'];
type Outcome = 'titre' | 'ccp' | 'ajourne' | 'absent';

/** Runs `work` over `items`, `width` at a time (requests on distinct streams only). */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

/** Every item of a read-model table, in key order. */
async function tableItems(dataDir: string, table: string) {
  const server = dynalite({ path: join(dataDir, 'dynamodb') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = localDynamoClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.sort((a, b) => (`${a.pk}|${a.sk}` < `${b.pk}|${b.sk}` ? -1 : 1));
  } finally {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * The RNCP38665 fiche's statistics row for 2022 (55 certified, 1 via VAE, 63 % / 63 % / 62 %) reproduced by a
 * history made through the HTTP API only: two sessions in 2022 on the RNCP32340 version at two centres, 60
 * candidates, and the survey answers; then a rebuild of every read model gives the same tables and answers.
 */
describe('yearly statistics through the local server', () => {
  let L: LocalLedger | undefined;
  let dataDir: string;
  const get = async (path: string, as: As = MINISTRY) => {
    await L!.settle();
    return L!.call('GET', path, { as });
  };

  beforeAll(async () => {
    L = await startTestLedger({ clock: CLOCK });
    dataDir = L.dataDir;
  }, 60_000);
  afterAll(async () => L?.stop());

  it('reproduces the RNCP38665 fiche’s row for 2022 from sessions held on RNCP32340', async () => {
    const api = scenario(L!.call);
    const moveClock = async (now: string) => expect((await L!.call('POST', '/_local/clock', { body: { now } })).status).toBe(200);
    const roubaix = await api.centre(RNCP, { region: 'Hauts-de-France', validUntil: '2024-05-11' });
    const rennes = await api.centre(RNCP, { region: 'Bretagne', validUntil: '2024-05-11' });
    const jurors = await api.jurors(RNCP, 2, { validUntil: '2024-05-11' });

    // 55 titres (one via VAE), 2 CCPs, 2 ajournés, 1 absent, in two sessions of 30.
    const plan = (titres: number, rest: Outcome[]): Outcome[] => [...Array<Outcome>(titres).fill('titre'), ...rest];
    const sessions = [
      { centreId: roubaix, startsOn: '2022-03-07', endsOn: '2022-03-09', outcomes: plan(28, ['ccp', 'ajourne']) },
      { centreId: rennes, startsOn: '2022-06-13', endsOn: '2022-06-15', outcomes: plan(27, ['ccp', 'ajourne', 'absent']) },
    ];
    const routes = ['formation_continue', 'formation_continue', 'apprentissage', 'contrat_professionnalisation'];
    const held = [];
    for (const [s, session] of sessions.entries()) {
      const sessionId = await api.session(session.centreId, { rncp: RNCP, kind: 'titre', startsOn: session.startsOn, endsOn: session.endsOn }, jurors);
      const candidates: string[] = [];
      await inParallel(session.outcomes, 8, async (_, i) => (candidates[i] = await api.candidate(session.centreId, `Candidat ${s}-${i}`)));
      for (const [i, candidateId] of candidates.entries()) {
        const vae = s === 0 && i === 0;
        // A VAE enrolment follows the recevabilité decision of the DREETS of the candidate's centre's region (rules 16, 17).
        if (vae)
          expect(
            (await L!.call('POST', `/candidates/${candidateId}/vae-recevabilite`, { as: ['dreets', 'agent-1', 'Hauts-de-France'], body: { rncp: RNCP, decidedOn: '2022-01-03' } }))
              .status,
          ).toBe(201);
        await api.enrol(session.centreId, sessionId, candidateId, vae ? 'vae' : routes[i % routes.length]);
      }
      held.push({ ...session, sessionId, candidates });
    }
    // The jurors fill in the grids of the blocs they decide on: a titre rests on them (issue 17).
    const grids = await api.blocs(RNCP);
    for (const session of held) {
      await moveClock(`${session.startsOn}T08:00:00Z`);
      for (const [i, candidateId] of session.candidates.entries()) {
        const outcome = session.outcomes[i]!;
        await api.deliberate(session.sessionId, jurors, candidateId, outcome, grids, outcome === 'titre' ? BLOCS : outcome === 'ccp' ? [BLOCS[0]!] : []);
      }
      await moveClock(`${session.endsOn}T17:00:00Z`);
      await api.validatePv(session.sessionId);
      await L!.settle(); // the session workflow records CcpAcquired / TitreIssued and issues the certificates
    }
    const titreHolders = held.flatMap((s) => s.candidates.filter((_, i) => s.outcomes[i] === 'titre'));
    const ccpHolders = held.flatMap((s) => s.candidates.filter((_, i) => s.outcomes[i] === 'ccp'));
    expect(titreHolders).toHaveLength(55);

    const answer = (horizon: '6m' | '24m', counts: [situation: string, n: number][]) => {
      const situations = counts.flatMap(([situation, n]) => Array<string>(n).fill(situation));
      expect(situations).toHaveLength(55);
      return inParallel(titreHolders, 8, async (candidateId, i) => {
        const res = await L!.call('POST', `/candidates/${candidateId}/insertion-surveys`, { as: MINISTRY, body: { horizon, situation: situations[i] } });
        expect(res.status, res.text).toBe(201);
      });
    };
    // Six months on: 33 in the target job, 19 unemployed, 3 neutralised: 33 / 52 = 63.5 % → 63 %, both rates.
    await moveClock('2022-12-15T09:00:00Z');
    await answer('6m', [
      ['employed_target_job', 33],
      ['unemployed', 19],
      ['neutralised', 3],
    ]);
    // A CCP holder's answer is not a certified respondent's: it must not move the rates.
    expect((await L!.call('POST', `/candidates/${ccpHolders[0]}/insertion-surveys`, { as: MINISTRY, body: { horizon: '6m', situation: 'employed_other' } })).status).toBe(201);
    // Two years on: 31 in the target job, 5 elsewhere, 14 unemployed, 5 neutralised: 31 / 50 = 62 %.
    await moveClock('2024-03-15T09:00:00Z');
    await answer('24m', [
      ['employed_target_job', 31],
      ['employed_other', 5],
      ['unemployed', 14],
      ['neutralised', 5],
    ]);

    const res = await get('/statistics?rncp=RNCP38665&year=2022');
    expect(res.status, res.text).toBe(200);
    // The sum of the positions of the rollups and catalogue items read: it grows with them, and a rebuild gives the same (below).
    expect(res.json.position).toBeGreaterThan(0);
    expect(res.json.rows).toHaveLength(1);
    const row = res.json.rows[0];
    // The fiche's row: 2022, 55 certified, 1 via VAE, 63 % global at 6 months, 63 % target job at 6 months, 62 % at 2 years.
    expect(row).toMatchObject({
      year: 2022,
      rncp: 'RNCP38665',
      lineage: ['RNCP38665', 'RNCP32340', 'RNCP12505'],
      certified: 55,
      certifiedViaVae: 1,
      insertion6mGlobal: 63,
      insertion6mTargetJob: 63,
      insertion24mTargetJob: 62,
      enrolled: 60,
      present: 59,
      ccpIssued: 2,
      successRate: 93,
    });
    expect(row.byRegion).toMatchObject({
      'Hauts-de-France': { enrolled: 30, present: 30, certified: 28, certifiedViaVae: 1 },
      Bretagne: { enrolled: 30, present: 29, certified: 27 },
    });
    expect(row.byRoute.vae).toEqual({ enrolled: 1, present: 1, certified: 1, certifiedViaVae: 1, ccpIssued: 0, successRate: 100 });
    expect(Object.keys(row.byCentre).sort()).toEqual([roubaix, rennes].sort());

    const csv = await get('/statistics?rncp=RNCP38665&year=2022&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, line] = csv.text.split('\r\n');
    expect(
      header!.startsWith(
        'Année d’obtention de la certification;Nombre de certifiés;Nombre de certifiés à la suite d’un parcours VAE;Taux d’insertion global à 6 mois (en %);Taux d’insertion dans le métier visé à 6 mois (en %);Taux d’insertion dans le métier visé à 2 ans (en %);',
      ),
    ).toBe(true);
    expect(line!.startsWith('2022;55;1;63;63;62;RNCP38665;')).toBe(true);

    const exported = await L!.call('POST', '/statistics/exports', { as: MINISTRY, body: { year: 2022 } });
    expect(exported.status, exported.text).toBe(201);
    const stored = await L!.deps.exports.get(exported.json.key);
    expect(
      Buffer.from(stored!.body)
        .toString('utf8')
        .split('\r\n')
        .some((l) => l.startsWith('2022;55;1;63;63;62;RNCP38665;')),
    ).toBe(true);

    expect((await get('/statistics?year=2022', ['centre', roubaix])).status).toBe(403);
    expect((await get('/statistics?year=twenty')).status).toBe(400);
  }, 300_000);

  it('npm run rebuild: a fresh table with identical documents, switched to at the next start', async () => {
    const before = (await get('/statistics?year=2022')).json;
    const lineage = (await get('/statistics?rncp=RNCP38665')).json;
    await L!.stop();
    L = undefined;
    const previous = activeReadModelTable(dataDir, TABLES.readModels);
    const result = await rebuildLocalReadModels({ dataDir, keepPrevious: true });
    expect(result.previous).toBe(previous);
    expect(result.active).not.toBe(previous);
    expect(activeReadModelTable(dataDir, TABLES.readModels)).toBe(result.active);
    const incremental = await tableItems(dataDir, previous);
    expect(incremental.length).toBeGreaterThan(100);
    expect(await tableItems(dataDir, result.active)).toEqual(incremental);

    L = await startTestLedger({ dataDir, clock: CLOCK });
    expect((await get('/statistics?year=2022')).json).toEqual(before);
    expect((await get('/statistics?rncp=RNCP38665')).json).toEqual(lineage);
  }, 120_000);
});
