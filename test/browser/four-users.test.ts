import { frenchDate } from '../../domain/french-words.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { scenario, type Caller } from '../support/scenario.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { checkAccessibility, labelled, launchChromium, newUser, screenshot, type Keys } from './support.js';
import { eventually } from '../support/eventually.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { STATISTICS_COLUMNS } from '../../functions/statistics/statistics-csv.js';
import { join } from 'node:path';
import { projectRoot } from '../../infra/paths.js';
import { acceptOffer } from '../support/test-wallet.js';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

const RNCP = 'RNCP38665';

/**
 * The four users of issue 6, each through their pages in a real browser, keyboard only, against the local
 * server: the certifiers take two candidates through a titre session (with a refusal shown to a juror), the
 * employer verifies the titre, the candidate follows their livret, the ministry reads the statistics.
 */
describe.sequential('the four users, in chromium, keyboard only', () => {
  let L: LocalLedger;
  let call: Caller;
  let browser: Browser;
  let centreId: string;
  let jurors: string[];
  let sessionId: string;
  let moreau: string; // registered through the page; gets the titre
  let petit: string; // registered over the API; gets BC01 only
  let bernard: string; // registered over the API; ajourné
  let titreCode: string;
  let ccpCode: string;

  beforeAll(async () => {
    L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
    call = (method, path, opts = {}) => L.call(method, path, { as: opts.as as never, body: opts.body, headers: opts.headers });
    browser = await launchChromium();
    const s = scenario(call);
    centreId = await s.centre(RNCP, { region: 'Bretagne', validUntil: '2027-12-31' });
    jurors = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
    petit = await s.candidate(centreId, 'Petit');
    bernard = await s.candidate(centreId, 'Bernard');
    // Petit enrols by VAE: the DREETS has found the request admissible first (DESIGN.md rule 17).
    expect((await call('POST', `/candidates/${petit}/vae-recevabilite`, { as: ['dreets', 'agent-1', 'Bretagne'], body: { rncp: RNCP, decidedOn: '2025-09-01' } })).status).toBe(
      201,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await L?.stop();
  });

  /** The sign-in page's local convenience, by keyboard: role, identifier, submit; lands on the role's page. */
  async function signIn(keys: Keys, page: Page, roleLabel: string, role: string, sub: string, landing: string, region?: string) {
    await page.goto('/connexion');
    await keys.select(labelled(page, 'Rôle'), role);
    expect(await labelled(page, 'Rôle').locator('option:checked').textContent()).toBe(roleLabel);
    await keys.type(labelled(page, 'Identifiant'), sub);
    if (region) await keys.select(labelled(page, 'Région (agent de la DREETS)'), region);
    await keys.press(page.getByRole('button', { name: 'Obtenir un jeton et se connecter' }));
    await page.waitForURL(`**${landing}`);
  }

  it('the centre registers a candidate, schedules a session, constitutes its jury (refused, then accepted) and enrols', async () => {
    const { page, keys, context } = await newUser(browser, L.url);
    await signIn(keys, page, 'Centre d’examen', 'centre', centreId, '/certificateurs');
    await expect.poll(() => page.getByText('Centre Bretagne — région Bretagne.').count()).toBe(1);
    // The header names the centre, never its id.
    await expect.poll(() => page.locator('#identite .who').textContent()).toBe('Connecté : Centre Bretagne (Centre d’examen)');
    // Its candidates, by name (GET /centres/{centreId}/candidates).
    await expect.poll(() => page.getByRole('table', { name: 'Candidats enregistrés par le centre' }).textContent()).toContain('Bernard');

    // A candidate, registered through the page: names go to the vault, the page shows the id.
    const register = page.getByRole('form', { name: 'Enregistrer un candidat' });
    await keys.type(labelled(register, 'Nom de famille'), 'Moreau');
    await keys.type(labelled(register, 'Prénoms'), 'Camille');
    await keys.date(labelled(register, 'Date de naissance'), '1990-04-02');
    await keys.press(register.getByRole('button', { name: 'Enregistrer le candidat' }));
    moreau = (await register.locator('code.candidate-id').textContent({ timeout: 10_000 }))!;
    expect(moreau).toMatch(/^[A-Za-z0-9_-]+$/);
    // The list of the centre's candidates shows the new one without a reload.
    await expect.poll(() => page.getByRole('table', { name: 'Candidats enregistrés par le centre' }).textContent()).toContain('Moreau');

    // A titre session, from 6 to 7 October 2025.
    const schedule = page.getByRole('form', { name: 'Programmer une session' });
    await keys.select(labelled(schedule, 'Certification'), RNCP);
    await keys.select(labelled(schedule, 'Type de session'), 'titre');
    await keys.date(labelled(schedule, 'Premier jour'), '2025-10-06');
    await keys.date(labelled(schedule, 'Dernier jour'), '2025-10-07');
    await keys.press(schedule.getByRole('button', { name: 'Programmer la session' }));
    await page.waitForURL(/session=/);
    sessionId = new URL(page.url()).searchParams.get('session')!;
    await expect.poll(() => page.locator('#session-titre').textContent()).toContain('Session titre du 6 octobre 2025 au 7 octobre 2025');

    // A jury of one, picked by name among the habilitated jurors: the domain refuses it, in words.
    const jury = page.getByRole('form', { name: 'Constitution du jury' });
    await keys.check(jury.getByLabel(/^Juré 1, indépendant du certificateur — habilité du/));
    await screenshot(page, 'certificateurs-centre-choix-jury');
    await keys.press(jury.getByRole('button', { name: 'Constituer le jury' }));
    const refusal = jury.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('Refusé : Le jury est trop petit');
    expect(await refusal.textContent()).toContain('jury-too-small');
    await screenshot(page, 'certificateurs-centre-refus-jury');

    await keys.check(jury.getByLabel(/^Juré 2 — habilité du/));
    await keys.press(jury.getByRole('button', { name: 'Constituer le jury' }));
    await expect.poll(() => page.locator('.session-status').textContent()).toContain('Jury constitué : 2 membres.');

    // Three enrolments, each candidate picked by name, by the routes this titre opens only (not to students).
    const routes = await labelled(page.getByRole('form', { name: 'Inscription d’un candidat à la session' }), 'Voie d’accès')
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(routes).toContain('formation_continue');
    expect(routes).not.toContain('eleve_etudiant');
    const sessionsList = page.getByRole('table', { name: 'Sessions du centre Centre Bretagne' });
    for (const [candidateId, name, route] of [
      [moreau, 'Camille Moreau', 'formation_continue'],
      [petit, 'Camille Petit', 'vae'],
      [bernard, 'Camille Bernard', 'formation_continue'],
    ] as const) {
      const enrol = page.getByRole('form', { name: 'Inscription d’un candidat à la session' });
      const pick = labelled(enrol, 'Candidat');
      await keys.select(pick, candidateId);
      expect(await pick.locator('option:checked').textContent()).toBe(name);
      await keys.select(labelled(enrol, 'Voie d’accès'), route);
      await keys.press(enrol.getByRole('button', { name: 'Inscrire à la session' }));
      await expect.poll(() => page.locator('.session-status').textContent()).toContain(`Inscription de ${name} enregistrée`);
    }
    // The list of the centre's sessions counts them without a reload.
    await expect.poll(() => sessionsList.textContent()).toContain('0 sur 3');
    expect(await sessionsList.textContent()).toContain('2 membres');
    await expect.poll(() => page.locator('#candidats-titre').textContent()).toBe('Candidats inscrits (3)');
    const enrolled = (await page.getByRole('table', { name: 'Candidats inscrits à la session' }).textContent())!;
    for (const name of ['Camille Moreau', 'Camille Petit', 'Camille Bernard']) expect(enrolled).toContain(name);
    expect(enrolled).not.toContain(moreau);

    // The list of the centre's sessions (GET /centres/{id}/sessions) shows it.
    await page.reload();
    await expect.poll(() => page.getByRole('table', { name: 'Sessions du centre Centre Bretagne' }).textContent()).toContain('RNCP38665');
    await expect.poll(() => page.locator('#session-titre').isVisible()).toBe(true);
    await screenshot(page, 'certificateurs-centre');
    await checkAccessibility(page, 'certificateurs-centre');
    expect(keys.errors).toEqual([]);
    await context.close();
  });

  it('jurors assess on the grid, propose, meet a refusal (a deliberation already proposed), and sign', async () => {
    await call('POST', '/_local/clock', { body: { now: '2025-10-07T14:00:00Z' } });
    const a = await newUser(browser, L.url);
    const b = await newUser(browser, L.url);
    await signIn(a.keys, a.page, 'Juré', 'juror', jurors[0]!, '/certificateurs');
    await signIn(b.keys, b.page, 'Juré', 'juror', jurors[1]!, '/certificateurs');

    // Juror A opens the session from their list (its centre by name).
    await expect.poll(() => a.page.getByRole('table', { name: 'Les sessions dont vous êtes juré' }).textContent()).toContain('Centre Bretagne');
    await screenshot(a.page, 'certificateurs-jure-sessions');
    await a.keys.press(a.page.getByRole('button', { name: /^Ouvrir la session du 6 octobre 2025/ }));
    await expect.poll(() => a.page.locator('#session-titre').textContent()).toContain('Session titre');
    expect(await a.page.locator('#candidat-' + moreau).textContent()).toBe('Candidat n°1 : Camille Moreau');
    const blocs = (await call('GET', `/certifications/${RNCP}`)).json.blocs as { code: string; competences: { code: string }[] }[];
    // Each juror, on the page, enters every bloc's grid of the three candidates: Moreau acquires both blocs, Petit
    // the first, Bernard none.
    type Grid = [candidateId: string, n: number, bloc: (typeof blocs)[number], result: 'acquis' | 'non_acquis'];
    const grids: Grid[] = blocs.flatMap((b, i) => [
      [moreau, 1, b, 'acquis'] as Grid,
      [petit, 2, b, i === 0 ? 'acquis' : 'non_acquis'] as Grid,
      [bernard, 3, b, 'non_acquis'] as Grid,
    ]);
    const enterGrids = async (juror: typeof a) => {
      const gridOf = (n: number, bloc: string) => juror.page.getByRole('form', { name: `Évaluation du bloc ${bloc}, candidat n°${n}` });
      // Every grid ticked first, then saved one by one: a save keeps what is ticked and not yet saved in the others.
      for (const [candidateId, n, bloc, result] of grids)
        for (const c of bloc.competences) await juror.keys.radio(gridOf(n, bloc.code).locator(`input[name="${candidateId}|${c.code}"][value="${result}"]`));
      const ticked = grids.reduce((sum, [, , bloc]) => sum + bloc.competences.length, 0);
      for (const [, n, bloc] of grids) {
        await juror.keys.press(gridOf(n, bloc.code).getByRole('button', { name: `Enregistrer l’évaluation du bloc ${bloc.code}` }));
        await expect.poll(() => juror.page.locator('.session-status').textContent()).toContain(`Évaluation du bloc ${bloc.code} enregistrée pour le candidat n°${n}`);
        expect(await juror.page.locator('input[type=radio]:checked').count(), 'ticks kept across the redraw').toBe(ticked);
      }
      // Saving the later grids left the earlier candidates' recorded results in place.
      for (const candidateId of [moreau, petit, bernard]) {
        expect(await juror.page.locator(`input[name^="${candidateId}|"]:checked`).count()).toBe(blocs.reduce((n, b) => n + b.competences.length, 0));
      }
    };
    await enterGrids(a);

    // Juror B opens the session and enters the same grids on the page, before any deliberation is proposed.
    await b.page.goto(`/certificateurs?session=${sessionId}`);
    await expect.poll(() => b.page.locator('#session-titre').textContent()).toContain('Session titre');
    await enterGrids(b);

    // Juror A proposes the titre for Moreau (both blocs, entretien final held): signed by the proposer.
    const proposal = a.page.getByRole('form', { name: 'Proposition de délibération, candidat n°1' });
    await a.keys.select(labelled(proposal, 'Décision'), 'titre');
    for (const bloc of blocs) await a.keys.check(proposal.getByLabel(bloc.code, { exact: true }));
    await a.keys.check(labelled(proposal, 'L’entretien final avec le jury a eu lieu'));
    await a.keys.press(proposal.getByRole('button', { name: 'Proposer la délibération' }));
    await expect.poll(() => a.page.locator('.session-status').textContent()).toContain('Délibération proposée et signée pour le candidat n°1');
    await screenshot(a.page, 'certificateurs-jure-grille');
    await checkAccessibility(a.page, 'certificateurs-jure');

    // Then juror A proposes for Petit (over the API, as from another desk).
    const other = await call('POST', `/sessions/${sessionId}/deliberations`, { as: ['juror', jurors[0]!], body: { candidateId: petit, outcome: 'ccp', blocs: ['RNCP38665BC01'] } });
    expect(other.status, other.text).toBe(201);

    // Juror B, whose page still offers a proposal for Petit, proposes: refused, and told why in words.
    const stale = b.page.getByRole('form', { name: 'Proposition de délibération, candidat n°2' });
    await b.keys.select(labelled(stale, 'Décision'), 'ajourne');
    await b.keys.press(stale.getByRole('button', { name: 'Proposer la délibération' }));
    const refusal = stale.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('Refusé : Une délibération est déjà proposée pour ce candidat');
    expect(await refusal.textContent()).toContain('deliberation-already-proposed');
    await screenshot(b.page, 'certificateurs-jure-refus');

    // Juror B reloads the session and signs both deliberations: they become final.
    await b.keys.press(b.page.getByRole('button', { name: 'Actualiser la session' }));
    await expect.poll(() => b.page.locator('.session-status').textContent()).toContain('Session actualisée.');
    for (const n of [1, 2]) {
      await b.keys.press(b.page.getByRole('button', { name: `Signer la délibération du candidat n°${n}` }));
      await expect.poll(() => b.page.locator('.session-status').textContent()).toContain(`Délibération du candidat n°${n} signée.`);
    }
    await expect.poll(() => b.page.getByRole('table', { name: 'Délibérations de la session' }).textContent()).toMatch(/Définitive.*Définitive/);

    // Juror B proposes « ajourné » for Bernard; juror A signs it on their page, which names who proposed it.
    const ajourne = b.page.getByRole('form', { name: 'Proposition de délibération, candidat n°3' });
    await b.keys.select(labelled(ajourne, 'Décision'), 'ajourne');
    await b.keys.press(ajourne.getByRole('button', { name: 'Proposer la délibération' }));
    await expect.poll(() => b.page.locator('.session-status').textContent()).toContain('Délibération proposée et signée pour le candidat n°3');
    await a.keys.press(a.page.getByRole('button', { name: 'Actualiser la session' }));
    await expect.poll(() => a.page.locator('.session-status').textContent()).toContain('Session actualisée.');
    expect(await a.page.locator('#session').textContent()).toContain('par Juré 2');
    await a.keys.press(a.page.getByRole('button', { name: 'Signer la délibération du candidat n°3' }));
    await expect.poll(() => a.page.locator('.session-status').textContent()).toContain('Délibération du candidat n°3 signée.');
    await screenshot(b.page, 'certificateurs-jure-signatures');
    expect([...a.keys.errors, ...b.keys.errors]).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('the DREETS agent finds the session through the centre and validates the PV', async () => {
    const { page, keys, context } = await newUser(browser, L.url);
    // The agent of the centre's region: PV validation is territorial (DESIGN.md rule 16).
    await signIn(keys, page, 'Agent de la DREETS', 'dreets', 'agent-1', '/certificateurs', 'Bretagne');
    const lookup = page.getByRole('form', { name: 'Sessions d’un centre' });
    // A centre registered on the page: in the agent's region by default, then offered at once in the list of centres.
    const registerCentre = page.getByRole('form', { name: 'Enregistrer un centre' });
    expect(await labelled(registerCentre, 'Région').locator('option:checked').textContent()).toBe('Bretagne');
    await keys.type(labelled(registerCentre, 'Nom du centre'), 'Centre AFPA Brest');
    await keys.select(labelled(registerCentre, 'Certification de l’agrément'), RNCP);
    await keys.date(labelled(registerCentre, 'Agrément valable jusqu’au'), '2027-12-31');
    await keys.press(registerCentre.getByRole('button', { name: 'Enregistrer le centre' }));
    await expect.poll(() => registerCentre.locator('.message-area').textContent(), { timeout: 10_000 }).toContain('il figure dans la liste des centres');
    expect(await labelled(lookup, 'Centre').locator('option:checked').textContent()).toBe('Centre AFPA Brest');
    expect(await registerCentre.locator('.message-area').textContent()).toContain('Centre Centre AFPA Brest enregistré et agréé');
    expect(await registerCentre.locator('.message-area').textContent()).not.toMatch(/[0-9a-f]{8}-/);

    // The agrément refused after the centre was registered (beyond the version's end): said so, the centre put in the
    // agrément form; the same form sent again, corrected, grants the agrément to that centre and registers none more.
    await keys.type(labelled(registerCentre, 'Nom du centre'), 'Centre AFPA Quimper');
    await keys.select(labelled(registerCentre, 'Certification de l’agrément'), RNCP);
    await keys.date(labelled(registerCentre, 'Agrément valable jusqu’au'), '2099-12-31');
    await keys.press(registerCentre.getByRole('button', { name: 'Enregistrer le centre' }));
    await expect
      .poll(() => registerCentre.locator('.message-area').textContent(), { timeout: 10_000 })
      .toContain('Centre Centre AFPA Quimper enregistré, mais l’agrément a été refusé');
    await screenshot(page, 'certificateurs-dreets-agrement-refuse');
    const grant = page.getByRole('form', { name: 'Accorder un agrément' });
    await expect.poll(() => labelled(grant, 'Centre').locator('option:checked').textContent()).toBe('Centre AFPA Quimper (Bretagne)');
    // The date corrected, reached forward from the name as a reader goes down the form.
    await keys.tabTo(labelled(registerCentre, 'Nom du centre'));
    await keys.date(labelled(registerCentre, 'Agrément valable jusqu’au'), '2027-12-31');
    await keys.press(registerCentre.getByRole('button', { name: 'Enregistrer le centre' }));
    await expect.poll(() => registerCentre.locator('.message-area').textContent(), { timeout: 10_000 }).toContain('Centre Centre AFPA Quimper enregistré et agréé');
    const quimper = ((await call('GET', '/centres', { as: ['dreets', 'agent-1', 'Bretagne'] })).json as { centreId: string; name: string }[]).filter(
      (c) => c.name === 'Centre AFPA Quimper',
    );
    expect(quimper).toHaveLength(1);
    const agreed = (await call('GET', `/centres/${quimper[0]!.centreId}`, { as: ['dreets', 'agent-1', 'Bretagne'] })).json as { agrements: { rncp: string }[] };
    expect(agreed.agrements.map((a) => a.rncp)).toEqual([RNCP]);
    // A field left empty gets its own message next to it, tied by aria-describedby.
    await keys.press(registerCentre.getByRole('button', { name: 'Enregistrer le centre' }));
    const name = labelled(registerCentre, 'Nom du centre');
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await name.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).toBe('Le champ « Nom du centre » est obligatoire.');

    // The habilitated jurors of a certification, by name.
    const jurorsForm = page.getByRole('form', { name: 'Jurés habilités pour une certification' });
    await keys.select(labelled(jurorsForm, 'Certification'), RNCP);
    await keys.press(jurorsForm.getByRole('button', { name: 'Afficher les jurés' }));
    await expect.poll(() => page.getByRole('table', { name: `Jurés habilités pour ${RNCP}` }).textContent()).toMatch(/Juré 1.*Juré 2|Juré 2.*Juré 1/);
    await keys.select(labelled(lookup, 'Centre'), centreId);
    expect(await labelled(lookup, 'Centre').locator('option:checked').textContent()).toBe('Centre Bretagne');
    await keys.press(lookup.getByRole('button', { name: 'Afficher les sessions' }));
    await expect.poll(() => page.getByRole('table', { name: 'Agréments du centre' }).textContent()).toContain(RNCP);
    await keys.press(page.getByRole('button', { name: /^Ouvrir la session du 6 octobre 2025/ }));
    await expect.poll(() => page.locator('#session-titre').textContent()).toContain('Session titre');
    await keys.press(page.getByRole('button', { name: 'Valider le procès-verbal' }));
    await expect.poll(() => page.locator('.session-status').textContent(), { timeout: 20_000 }).toContain('Procès-verbal validé');
    await expect.poll(() => page.locator('#pv-titre + p').textContent()).toContain('Validé le 7 octobre 2025');
    // The DREETS reads the candidates' and jurors' names.
    const named = (await page.locator('#session').textContent())!;
    for (const name of ['Camille Moreau', 'Camille Bernard', 'Juré 1', 'Juré 2']) expect(named).toContain(name);
    await screenshot(page, 'certificateurs-dreets');
    await checkAccessibility(page, 'certificateurs-dreets');

    // After the PV, each juror's page still shows every result they recorded, for every candidate.
    for (const [juror, candidates] of [
      [jurors[0]!, [moreau, petit, bernard]],
      [jurors[1]!, [moreau, petit, bernard]],
    ] as const) {
      const j = await newUser(browser, L.url);
      await signIn(j.keys, j.page, 'Juré', 'juror', juror, '/certificateurs');
      await j.page.goto(`/certificateurs?session=${sessionId}`);
      await expect.poll(() => j.page.locator('#session-titre').textContent()).toContain('Session titre');
      const view = (await call('GET', `/sessions/${sessionId}`, { as: ['juror', juror] })).json as {
        assessments: { jurorId: string; candidateId: string; competences: unknown[] }[];
      };
      for (const candidateId of candidates) {
        const recorded = view.assessments.filter((x) => x.jurorId === juror && x.candidateId === candidateId).reduce((n, x) => n + x.competences.length, 0);
        expect(recorded).toBeGreaterThan(0);
        await expect.poll(() => j.page.locator(`input[name^="${candidateId}|"]:checked`).count()).toBe(recorded);
      }
      await screenshot(j.page, `certificateurs-jure-apres-pv-${juror === jurors[0] ? 'a' : 'b'}`);
      await j.context.close();
    }

    const record = await eventually(async () => {
      const r = await call('GET', `/candidates/${moreau}/record`, { as: ['candidate', moreau] });
      return r.json.certificates?.[0]?.status === 'valid' ? r.json : undefined;
    }, 'titre certificate');
    titreCode = record.certificates[0].code;
    const partial = await eventually(async () => {
      const r = await call('GET', `/candidates/${petit}/record`, { as: ['candidate', petit] });
      return r.json.certificates?.[0]?.status === 'valid' ? r.json : undefined;
    }, 'ccp certificate');
    ccpCode = partial.certificates[0].code;
    await L.settle();
    expect(keys.errors).toEqual([]);
    await context.close();
  });

  it('the employer types the code, sees the status in words, checks the family name, and finds the offline instructions', async () => {
    const { page, keys, context } = await newUser(browser, L.url);
    await page.goto('/v');
    await keys.type(labelled(page, 'Code du certificat'), titreCode);
    await keys.press(page.getByRole('button', { name: 'Vérifier', exact: true }));
    await page.waitForURL(`**/v/${titreCode}`);
    const status = page.locator('#statut');
    await expect.poll(() => status.textContent()).toContain('Certificat valide');
    expect(await status.getAttribute('class')).toContain('valid');
    const facts = await page.locator('dl.facts').first().textContent();
    for (const expected of ["TP - Manager d'équipe relation client à distance", RNCP, 'niveau 5', 'RNCP38665BC01', 'RNCP38665BC02', '7 octobre 2025', 'C. M****'])
      expect(facts).toContain(expected);

    const check = page.getByRole('form', { name: 'Vérifier le nom de famille du titulaire' });
    await keys.type(labelled(check, 'Nom de famille'), 'Dupont');
    await keys.press(check.getByRole('button', { name: 'Vérifier le nom' }));
    await expect.poll(() => check.getByRole('alert').textContent()).toContain('ne correspond pas');
    await keys.type(labelled(check, 'Nom de famille'), 'moreau');
    await keys.press(check.getByRole('button', { name: 'Vérifier le nom' }));
    await expect.poll(() => check.locator('.message.success').textContent()).toContain('correspond au titulaire');

    // The signed credential and the keys, as the offline instructions link them.
    const credential = page.getByRole('link', { name: 'preuve signée du certificat' });
    const jwks = page.getByRole('link', { name: 'jeu de clés publiques (JWKS)' });
    await keys.tabTo(credential);
    await keys.tabTo(jwks);
    expect((await page.request.get((await credential.getAttribute('href'))!)).status()).toBe(200);
    expect(((await (await page.request.get((await jwks.getAttribute('href'))!)).json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    expect(await page.locator('#horsligne-titre').textContent()).toContain('sans dépendre de ce site');
    await expect.poll(() => page.locator('#historique-titre + p + ol').textContent()).toContain('Valide');
    await screenshot(page, 'verification-valide');
    await checkAccessibility(page, 'verification');

    // A suspended certificate reads differently; its reason and legal basis are not public.
    const suspended = await call('POST', `/certificates/${ccpCode}/suspension`, {
      as: ['dreets', 'agent-1', 'Bretagne'],
      body: { reason: 'Recours en cours', legalBasis: 'Code du travail, art. R. 338-8' },
    });
    expect(suspended.status, suspended.text).toBe(201);
    // Projected before the page reads it: on 2 shared cores the feed may lag the poll.
    await L.settle();
    await page.goto(`/v/${ccpCode}`);
    await expect.poll(() => page.locator('#statut').textContent()).toContain('Certificat suspendu');
    // The public page shows the status and its date, never the reason (for the holder and the DREETS only).
    expect(await page.locator('.timeline').textContent()).not.toContain('Recours en cours');
    await screenshot(page, 'verification-suspendu');

    // As of a date before its issue, the page says it was not yet issued (not that the code never was).
    await page.goto(`/v/${titreCode}?date=2025-10-01`);
    await expect.poll(() => page.locator('#statut').textContent()).toContain('Certificat pas encore délivré');
    expect(await page.locator('#statut').textContent()).toContain('il l’a été le 7 octobre 2025');
    await screenshot(page, 'verification-pas-encore-delivre');
    await checkAccessibility(page, 'verification-pas-encore-delivre');

    await page.goto('/v/0000-0000-0000-0000');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Aucun certificat ne correspond à ce code');
    await screenshot(page, 'verification-inconnu');
    expect(keys.errors).toEqual([]);
    await context.close();
  });

  it('the candidate follows the livret, shares the code, and sees who verified it', async () => {
    const { page, keys, context } = await newUser(browser, L.url);
    await signIn(keys, page, 'Candidat', 'candidate', petit, '/candidat');
    await expect.poll(() => page.locator('#livret-titre').count()).toBe(1);
    const livret = page.locator('section[aria-labelledby="livret-titre"]');
    await expect.poll(() => livret.textContent()).toContain('Bloc RNCP38665BC01 acquis');
    const text = (await livret.textContent())!;
    expect(text).toContain('7 octobre 2025');
    expect(text).toContain('pour obtenir le titre jusqu’au 12 mai 2030');
    expect(text).toContain('il vous manque un bloc');
    expect(text).toContain('Bloc RNCP38665BC02 à acquérir');
    await screenshot(page, 'candidat-ccp');

    // The ajourné candidate: greeted by name, told « ajourné » and until when they may re-sit without training again.
    await keys.press(page.getByRole('button', { name: 'Se déconnecter' }));
    await page.waitForURL('**/connexion');
    await signIn(keys, page, 'Candidat', 'candidate', bernard, '/candidat');
    await expect.poll(() => page.locator('p.lead').textContent()).toBe('Bonjour Camille Bernard.');
    expect(await page.locator('#identite .who').textContent()).toBe('Connecté : Camille Bernard (Candidat)');
    const sessions = page.locator('section[aria-labelledby="sessions-titre"]');
    await expect.poll(() => sessions.textContent()).toContain('ajourné');
    const resitUntil = (await call('GET', `/candidates/${bernard}/record`, { as: ['candidate', bernard] })).json.sessions[0].resitUntil as string;
    expect(resitUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const resit = frenchDate(resitUntil);
    expect(await sessions.textContent()).toContain(`jusqu’au ${resit}`);
    expect(await page.locator('section[aria-labelledby="livret-titre"]').textContent()).not.toContain('Les résultats apparaissent ici');
    // Who read their name: the centre (its list, the session), the jurors and the DREETS (the session).
    const reads = (await page.getByRole('table', { name: 'Consultations de vos nom et prénoms' }).textContent())!;
    // The two jurors told apart, unnamed.
    for (const who of ['Votre centre (Centre Bretagne)', 'Juré 1 de votre session', 'Juré 2 de votre session', 'Un agent de la DREETS']) expect(reads).toContain(who);
    expect(reads).not.toMatch(/\b(juror|dreets|candidate|ministry)\b/);
    await screenshot(page, 'candidat-ajourne');
    await checkAccessibility(page, 'candidat-ajourne');

    // The titre holder: certificate, code to share, the PDF, and the employer's verifications.
    await keys.press(page.getByRole('button', { name: 'Se déconnecter' }));
    await page.waitForURL('**/connexion');
    await signIn(keys, page, 'Candidat', 'candidate', moreau, '/candidat');
    const certificate = page.getByRole('article', { name: /Titre professionnel/ });
    await expect.poll(() => certificate.textContent()).toContain(titreCode);
    const pdf = certificate.getByRole('link', { name: 'Télécharger le certificat (PDF)' });
    await keys.tabTo(pdf);
    const res = await page.request.get((await pdf.getAttribute('href'))!);
    expect(res.headers()['content-type']).toBe('application/pdf');
    await keys.press(certificate.getByRole('button', { name: 'Copier le code' }));
    await expect.poll(() => certificate.locator('.message').textContent()).toMatch(/copié|copie automatique/);
    const verifications = certificate.getByRole('table', { name: `Vérifications du certificat ${titreCode}` });
    const rows = await verifications.locator('tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.join('\n')).toContain('Oui, nom correct');
    expect(rows.join('\n')).toContain('Oui, nom incorrect');
    expect(await page.locator('section[aria-labelledby="notifications-titre"]').textContent()).toContain('Félicitations');
    expect(await page.locator('section[aria-labelledby="livret-titre"]').textContent()).toContain('Titre professionnel délivré');
    // The European wallet: the offer shown as a QR code with its PIN, scanned (decoded from the image) and accepted by
    // a wallet built from @openid4vc's client; the link opens the same offer.
    await keys.press(certificate.getByRole('button', { name: 'Ajouter à mon portefeuille d’identité numérique européen' }));
    const qr = certificate.getByRole('img', { name: `QR code de l’offre du certificat ${titreCode} pour le portefeuille` });
    const dataUrl = (await qr.getAttribute('src', { timeout: 10_000 }))!;
    const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
    const scanned = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)!.data;
    expect(await certificate.getByRole('link', { name: 'Ouvrir l’offre dans l’application portefeuille de cet appareil' }).getAttribute('href')).toBe(scanned);
    // The PIN shown beside the QR code, typed into the wallet.
    const pin = (await certificate.locator('.wallet-pin').textContent())!.trim();
    expect(pin).toMatch(/^\d{6}$/);
    const accepted = await acceptOffer(scanned, pin);
    expect(accepted.offer.credential_configuration_ids).toEqual(['titre-professionnel']);
    expect(accepted.sdJwt.split('~').length).toBeGreaterThanOrEqual(4);
    await screenshot(page, 'candidat');
    await checkAccessibility(page, 'candidat');
    expect(keys.errors).toEqual([]);
    await context.close();
  });

  it('the ministry reads the statistics of the year, with charts, and downloads and exports the CSV', async () => {
    const { page, keys, context } = await newUser(browser, L.url);
    await signIn(keys, page, 'Ministère', 'ministry', 'dgefp-1', '/ministere');
    const choose = page.getByRole('form', { name: 'Choisir les statistiques' });
    await keys.select(labelled(choose, 'Titre'), RNCP);
    await keys.type(labelled(choose, 'Année d’obtention'), '2025');
    await keys.press(choose.getByRole('button', { name: 'Afficher les statistiques' }));
    const table = page.getByRole('table', { name: `Statistiques de ${RNCP}, par année d’obtention` });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    const cells = await table.locator('tbody tr').first().locator('th, td').allTextContents();
    // Year, enrolled, present, certified, via VAE, CCPs, success rate.
    expect(cells.slice(0, 7)).toEqual(['2025', '3', '3', '1', '0', '1', '33 %']);
    for (const caption of ['Inscrits et certifiés par année', 'Par voie d’accès, 2025', 'Par région, 2025']) {
      expect(await page.getByRole('img', { name: new RegExp(`^${caption}`) }).count(), caption).toBe(1);
    }
    expect(await page.getByRole('img', { name: /^Par voie d’accès/ }).textContent()).toContain('Formation continue');

    const [download] = await Promise.all([page.waitForEvent('download'), keys.press(page.getByRole('button', { name: 'Télécharger le CSV' }))]);
    expect(download.suggestedFilename()).toBe(`statistiques-${RNCP}-2025.csv`);
    const bytesOf = (d: typeof download) =>
      new Promise<Buffer>((resolve, reject) => {
        void d.createReadStream().then((stream) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks)));
          stream.on('error', reject);
        });
      });
    const bytes = await bytesOf(download);
    // UTF-8 with its BOM (what French spreadsheets need), `;`-separated, French headers.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^Année d’obtention de la certification;Nombre de certifiés;/);
    expect(csv.split('\r\n')[1]).toMatch(/^2025;1;0;/);
    // LibreOffice (Debian's libreoffice-calc, headless) reads it as the fixed columns, accents intact: imported as
    // CSV (`;`, UTF-8), saved as xlsx, and that xlsx read back as CSV.
    const dir = join(projectRoot, 'test-results', 'libreoffice');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'statistiques.csv'), bytes);
    const soffice = (...args: string[]) =>
      execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, ...args], { cwd: dir, timeout: 120_000, stdio: 'pipe' });
    soffice('--infilter=CSV:59,34,76,1', '--convert-to', 'xlsx', '--outdir', join(dir, 'xlsx'), join(dir, 'statistiques.csv'));
    soffice('--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', join(dir, 'back'), join(dir, 'xlsx', 'statistiques.xlsx'));
    const [headers, values] = readFileSync(join(dir, 'back', 'statistiques.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .map((line) =>
        line
          .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
          .slice(0, -1)
          .map((cell) => cell.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')),
      );
    expect(headers).toEqual(STATISTICS_COLUMNS.map((c) => c.header));
    expect(headers).toContain('Inscrits — Île-de-France');
    expect(headers).toContain('Certifiés — Provence-Alpes-Côte d’Azur');
    expect(values!.slice(0, 2)).toEqual(['2025', '1']);
    expect(values![headers!.indexOf('Inscrits — Bretagne')]).toBe('3');

    await keys.press(page.getByRole('button', { name: 'Déposer l’export au compartiment' }));
    await expect.poll(() => page.locator('.message.success').last().textContent()).toMatch(/Export 2025-RNCP38665-p\d+ déposé/);
    const [exported] = await Promise.all([page.waitForEvent('download'), keys.press(page.getByRole('button', { name: 'Télécharger l’export' }))]);
    expect(exported.suggestedFilename()).toMatch(/^statistiques-2025-RNCP38665-p\d+\.csv$/);
    expect((await bytesOf(exported)).equals(bytes)).toBe(true);
    await screenshot(page, 'ministere');
    await checkAccessibility(page, 'ministere');
    expect(keys.errors).toEqual([]);
    await context.close();
  });
});
