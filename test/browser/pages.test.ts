import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { checkAccessibility, labelled, launchChromium, newUser, screenshot } from './support.js';

/**
 * What every user meets before their own path: the home page, the sign-in page, the verification form, and the
 * pages that ask to sign in (or to change account). Keyboard only, with axe on each.
 */
describe.sequential('the pages around the four paths, in chromium', () => {
  let L: LocalLedger;
  let browser: Browser;
  beforeAll(async () => {
    L = await startTestLedger();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await L?.stop();
  });

  it('home: the skip link is the first stop and moves to the content; landmarks; each space is one Tab away', async () => {
    const { page, keys, context } = await newUser(browser, L.url);
    await page.goto('/');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Aller au contenu' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await skip.boundingBox()).not.toBeNull(); // shown when focused
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');
    for (const landmark of ['banner', 'main', 'contentinfo'] as const) expect(await page.getByRole(landmark).count(), landmark).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Navigation principale' }).count()).toBe(1);
    await keys.tabTo(page.getByRole('link', { name: 'Tableau de bord du ministère' }));
    await keys.tabTo(page.getByRole('link', { name: 'Espace candidat' }).first());
    await screenshot(page, 'accueil');
    await checkAccessibility(page, 'accueil');
    expect(keys.errors).toEqual([]);
    await context.close();
  });

  it('/v: an empty code is refused in the form, with the focus on the field; a malformed code reads like an unknown one', async () => {
    const { page, keys, context } = await newUser(browser, L.url);
    await page.goto('/v');
    await keys.press(page.getByRole('button', { name: 'Vérifier', exact: true }));
    const field = labelled(page, 'Code du certificat');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Le formulaire est à corriger : Code du certificat');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'verification-formulaire');
    await checkAccessibility(page, 'verification-formulaire');
    await keys.type(field, 'pas un code');
    await keys.press(page.getByRole('button', { name: 'Vérifier', exact: true }));
    await page.waitForURL('**/v/pasuncode');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Aucun certificat ne correspond à ce code');
    // An address typed by hand with a lone `%` (not URI-encoded): the same answer, not a page stuck loading.
    for (const path of ['/v/%ZZ', '/v/%3Cscript%3E']) {
      await page.goto(path);
      await expect.poll(() => page.getByRole('alert').textContent(), { message: path }).toContain('Aucun certificat ne correspond à ce code');
    }
    expect(keys.errors).toEqual([]);
    await context.close();
  });

  it('/connexion: FranceConnect and ProConnect — locally explained, no dead button; in AWS a keyboard-reachable button each, a linked first sign-in restarted', async () => {
    const { page, keys, context } = await newUser(browser, L.url);
    await page.goto('/connexion');
    await expect.poll(() => page.locator('#federe-titre').textContent()).toBe('FranceConnect et ProConnect');
    expect(await page.getByText('ne sont pas proposées sur le poste local').count()).toBe(1);
    expect(await page.getByRole('button', { name: /FranceConnect|ProConnect/ }).count()).toBe(0);

    // The configuration a stack with both providers publishes (infra/constructs/ledger-web.ts pagesConfig).
    const SIGN_IN = 'https://signin.example.test';
    await page.route('**/config.json', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ mode: 'aws', cognito: { domain: SIGN_IN, clientId: 'web-client', scopes: ['openid', 'email'] }, providers: ['FranceConnect', 'ProConnect'] }),
      }),
    );
    const authorizeRequests: URL[] = [];
    await page.route(`${SIGN_IN}/**`, (route) => {
      authorizeRequests.push(new URL(route.request().url()));
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Cognito</title><p>Cognito</p>' });
    });
    await page.goto('/connexion');
    const franceConnect = page.getByRole('button', { name: 'S’identifier avec FranceConnect' });
    await keys.tabTo(franceConnect);
    await keys.tabTo(page.getByRole('link', { name: 'Qu’est-ce que FranceConnect ?' }));
    expect(await page.getByRole('link', { name: 'Qu’est-ce que ProConnect ?' }).getAttribute('target')).toBe('_blank');
    await keys.tabTo(page.getByRole('button', { name: 'S’identifier avec ProConnect' }));
    await screenshot(page, 'connexion-franceconnect-proconnect');
    await checkAccessibility(page, 'connexion-franceconnect-proconnect');

    await keys.press(franceConnect);
    await expect.poll(() => authorizeRequests.length).toBe(1);
    await page.waitForURL(`${SIGN_IN}/**`);
    const first = authorizeRequests[0]!;
    expect(first.pathname).toBe('/oauth2/authorize');
    expect(Object.fromEntries(first.searchParams)).toMatchObject({
      identity_provider: 'FranceConnect',
      response_type: 'code',
      client_id: 'web-client',
      code_challenge_method: 'S256',
    });

    // Cognito's known answer to the first sign-in its trigger linked: back with an error; the page starts it again, once.
    const back = (state: string) =>
      `/connexion?${new URLSearchParams({ error_description: 'Already found an entry for username FranceConnect_8f2c4e1a ', state, error: 'invalid_request' })}`;
    // The page goes on to Cognito at once: the navigation to /connexion is cut short by that one.
    await page.goto(back(first.searchParams.get('state')!), { waitUntil: 'commit' });
    await expect.poll(() => authorizeRequests.length).toBe(2);
    await page.waitForURL(`${SIGN_IN}/**`);
    const retry = authorizeRequests[1]!;
    expect(retry.searchParams.get('identity_provider')).toBe('FranceConnect');
    expect(retry.searchParams.get('state')).not.toBe(first.searchParams.get('state'));
    // The same answer to the retry: no loop, the person is told.
    await page.goto(back(retry.searchParams.get('state')!));
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('reliée à votre compte');
    expect(new URL(page.url()).search).toBe('');
    expect(authorizeRequests).toHaveLength(2);
    // The trigger's refusal, as Cognito passes it on.
    await page.goto(
      `/connexion?${new URLSearchParams({ error_description: 'PreSignUp failed with error Aucun compte invité ne correspond à cette identité.', error: 'invalid_request' })}`,
    );
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Aucun compte invité');
    await checkAccessibility(page, 'connexion-refus-federe');
    expect(authorizeRequests).toHaveLength(2);
    expect(keys.errors).toEqual([]);
    await context.close();
  });

  it('a page of a role asks to sign in, and brings the user back once signed in; another role is told so', async () => {
    const { page, keys, context } = await newUser(browser, L.url);
    await page.goto('/ministere');
    await expect.poll(() => page.locator('#acces-titre').textContent()).toBe('Connexion nécessaire');
    await keys.press(page.getByRole('link', { name: 'Se connecter' }).last());
    await page.waitForURL('**/connexion?retour=%2Fministere');
    await screenshot(page, 'connexion');
    await checkAccessibility(page, 'connexion');

    // A token pasted as `npm run token` prints it.
    await keys.type(labelled(page, 'Jeton d’accès (JWT)'), 'pas-un-jeton');
    await keys.press(page.getByRole('button', { name: 'Utiliser ce jeton' }));
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('trois parties');
    await keys.type(labelled(page, 'Jeton d’accès (JWT)'), await L.token('ministry', 'dgefp-1'));
    await keys.press(page.getByRole('button', { name: 'Utiliser ce jeton' }));
    await page.waitForURL('**/ministere');
    await expect.poll(() => page.locator('#choix-titre').count()).toBe(1);
    expect(await page.locator('#identite').textContent()).toContain('Ministère');

    // The ministry is not a candidate.
    await page.goto('/candidat');
    await expect.poll(() => page.locator('#acces-titre').textContent()).toBe('Cet espace n’est pas celui de votre rôle');
    await checkAccessibility(page, 'candidat-autre-role');
    expect(keys.errors).toEqual([]);
    await context.close();
  });
});
