// /connexion: sign in. Locally, paste a token from `npm run token` (or mint one here); in AWS, Cognito's hosted sign-in.
import { ApiError, getJson, send } from '../lib/api.js';
import { homeOf, roleLabels, ROLES, safeReturnPath, signIn, signOut, currentIdentity, type Role } from '../lib/auth.js';
import { connectedAs } from '../lib/format.js';
import { byId, button, field, focusOn, form, h, replaceChildren, selectField, showError, showInfo, showSuccess, text } from '../lib/dom.js';
import { regionOptions } from '../lib/choices.js';
import { refusalContent } from '../lib/feedback.js';
import { initLayout } from '../lib/layout.js';
import { FEDERATED_BUTTONS, type FederatedProviderName, isFederatedProvider, LINKED_RETRY_MESSAGE, signInReturnOf } from '../lib/federated-sign-in.js';

interface WebConfig {
  mode: 'local' | 'aws';
  cognito?: { domain: string; clientId: string; scopes: string[] };
  /** The identity providers the user pool has beside its own sign-in (FranceConnect, ProConnect), when configured. */
  providers?: string[];
}

const app = byId('app');
initLayout();
const params = new URLSearchParams(location.search);
const returnTo = safeReturnPath(params.get('retour'));
const status = h('div', { 'aria-live': 'polite' });

function done(role: Role) {
  location.assign(returnTo ?? homeOf(role));
}

function pasteToken() {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'jeton-titre' },
    h('h2', { id: 'jeton-titre' }, 'Se connecter avec un jeton'),
    h(
      'p',
      null,
      'Collez le jeton d’accès que vous avez reçu (sur le poste de développement : ',
      h('code', null, 'npm run --silent token -- <rôle> <identifiant>'),
      '). Il reste dans cet onglet seulement et disparaît à sa fermeture.',
    ),
    form(
      {
        submit: 'Utiliser ce jeton',
        label: 'Se connecter avec un jeton',
        async action(data, _f, area) {
          try {
            const identity = signIn(text(data, 'token'));
            showSuccess(area, connectedAs([roleLabels[identity.roles[0]!]]));
            done(identity.roles[0]!);
          } catch (error) {
            showError(area, h('p', null, error instanceof Error ? error.message : String(error)));
          }
        },
      },
      field({ label: 'Jeton d’accès (JWT)', name: 'token', type: 'textarea', required: true, attrs: { spellcheck: 'false' } }),
    ),
  );
}

function localMint() {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'local-titre' },
    h('h2', { id: 'local-titre' }, 'Poste local : obtenir un jeton'),
    h(
      'p',
      null,
      'Sur le serveur local seulement (',
      h('code', null, 'npm start'),
      '), le registre fabrique un jeton pour un rôle et un identifiant : celui du centre, du juré ou du candidat concerné. Cette commodité n’existe pas dans le déploiement AWS.',
    ),
    form(
      {
        submit: 'Obtenir un jeton et se connecter',
        label: 'Obtenir un jeton local',
        async action(data, _f, area) {
          try {
            const answer = await send<{ token: string; role: Role }>('POST', '/_local/tokens', {
              role: text(data, 'role'),
              ledgerId: text(data, 'ledgerId'),
              ...(text(data, 'region') ? { region: text(data, 'region') } : {}),
            });
            signIn(answer.token);
            showSuccess(area, connectedAs([roleLabels[answer.role]]));
            done(answer.role);
          } catch (error) {
            showError(area, ...refusalContent(error));
          }
        },
      },
      h(
        'div',
        { class: 'form-row' },
        selectField({ label: 'Rôle', name: 'role', required: true, options: ROLES.map((r) => ({ value: r, label: roleLabels[r] })) }),
        field({
          label: 'Identifiant',
          name: 'ledgerId',
          required: true,
          hint: 'L’identifiant du centre, du juré ou du candidat ; pour la DREETS et le ministère, celui de l’agent.',
          attrs: { pattern: '[A-Za-z0-9][A-Za-z0-9_\\-]{0,63}', spellcheck: 'false' },
        }),
        selectField({
          label: 'Région (agent de la DREETS)',
          name: 'region',
          hint: 'La région où l’agent est compétent ; aucune pour les autres rôles.',
          options: [{ value: '', label: 'Aucune' }, ...regionOptions()],
        }),
      ),
    ),
  );
}

// --- Cognito's hosted sign-in (authorisation code with PKCE) ---
const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomString = () => base64Url(crypto.getRandomValues(new Uint8Array(32)));
const redirectUri = () => `${location.origin}/connexion`;

interface SavedRequest {
  verifier?: string;
  state?: string;
  returnTo?: string;
  provider?: string;
  retried?: boolean;
}

/** To Cognito's sign-in; with a provider, straight to FranceConnect or ProConnect (`identity_provider`, no Cognito page between). */
async function startCognito(cognito: NonNullable<WebConfig['cognito']>, provider?: FederatedProviderName, previous?: SavedRequest) {
  const verifier = randomString();
  const state = randomString();
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const saved: SavedRequest = { verifier, state, returnTo: previous?.returnTo ?? returnTo ?? undefined, ...(provider ? { provider } : {}), ...(previous ? { retried: true } : {}) };
  sessionStorage.setItem('registre.pkce', JSON.stringify(saved));
  const url = new URL(`${cognito.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: cognito.clientId,
    redirect_uri: redirectUri(),
    scope: cognito.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    lang: 'fr',
    ...(provider ? { identity_provider: provider } : {}),
  }).toString();
  location.assign(url.toString());
}

async function finishCognito(cognito: NonNullable<WebConfig['cognito']>, code: string, state: string) {
  const saved = takeSavedRequest();
  if (!saved.verifier || saved.state !== state) throw new Error('La réponse de connexion ne correspond à aucune demande de cet onglet : recommencez.');
  const res = await fetch(`${cognito.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: cognito.clientId, code, redirect_uri: redirectUri(), code_verifier: saved.verifier }),
  });
  if (!res.ok) throw new Error('La connexion a échoué : recommencez.');
  // The ID token: Cognito puts the account's readable attributes (custom:ledger_id, custom:region) in it and not in
  // the access token, and API Gateway's JWT authorizer admits it (its aud is this client, one of the audiences).
  const tokens = (await res.json()) as { id_token: string };
  const identity = signIn(tokens.id_token);
  history.replaceState(null, '', '/connexion');
  location.assign(safeReturnPath(saved.returnTo ?? null) ?? homeOf(identity.roles[0]!));
}

function takeSavedRequest(): SavedRequest {
  const saved = JSON.parse(sessionStorage.getItem('registre.pkce') ?? '{}') as SavedRequest;
  sessionStorage.removeItem('registre.pkce');
  return saved;
}

/**
 * Cognito came back with an error instead of a code: a first FranceConnect or ProConnect sign-in just linked to the
 * invited account starts again by itself (Cognito fails that first one, lib/federated-sign-in.ts); a refusal is
 * explained. Only an answer to this tab's own request (its state) may start anything.
 */
async function returnedWithError(cognito: NonNullable<WebConfig['cognito']>, state: string | null) {
  const saved = takeSavedRequest();
  const ours = saved.state !== undefined && saved.state === state;
  const outcome = signInReturnOf(params.get('error_description'), ours ? saved : {});
  history.replaceState(null, '', '/connexion');
  if (outcome.kind === 'retry') {
    showInfo(status, LINKED_RETRY_MESSAGE);
    await startCognito(cognito, outcome.provider, saved);
    return true;
  }
  showError(status, h('p', null, outcome.message));
  return false;
}

/** One provider's button, as the State's design system draws it, and the link that says what the provider is. */
function federatedButton(cognito: NonNullable<WebConfig['cognito']>, provider: FederatedProviderName) {
  const { brand, who, about } = FEDERATED_BUTTONS[provider];
  return h(
    'div',
    { class: 'connect-group' },
    h('p', { class: 'hint' }, who),
    button(
      '',
      {
        class: 'connect-button',
        onclick: () => void startCognito(cognito, provider).catch((e: unknown) => showError(status, ...refusalContent(e))),
      },
      h('span', { class: 'connect-login' }, 'S’identifier avec'),
      ' ',
      h('span', { class: 'connect-brand' }, brand),
    ),
    h('p', null, h('a', { href: about, target: '_blank', rel: 'noopener', title: `Qu’est-ce que ${brand} ? - nouvelle fenêtre` }, `Qu’est-ce que ${brand} ?`)),
  );
}

function federatedSignIn(config: WebConfig) {
  const cognito = config.cognito;
  const providers = (config.providers ?? []).filter(isFederatedProvider);
  if (cognito && providers.length > 0) {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'federe-titre' },
      h('h2', { id: 'federe-titre' }, 'Se connecter avec FranceConnect ou ProConnect'),
      h('p', null, 'Votre compte doit avoir été créé par une invitation du registre, à la même adresse électronique que celle de ce service.'),
      ...providers.map((p) => federatedButton(cognito, p)),
    );
  }
  if (config.mode !== 'local') return null;
  // Locally there is no user pool to send anyone to: the page says where these buttons appear rather than offer dead ones.
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'federe-titre' },
    h('h2', { id: 'federe-titre' }, 'FranceConnect et ProConnect'),
    h(
      'p',
      null,
      'Ces connexions ne sont pas proposées sur le poste local : elles apparaissent ici dans le déploiement AWS, quand le registre y est raccordé à FranceConnect (candidats) et à ProConnect (professionnels). Utilisez un jeton ci-dessous.',
    ),
  );
}

function cognitoSignIn(cognito: NonNullable<WebConfig['cognito']>) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'cognito-titre' },
    h('h2', { id: 'cognito-titre' }, 'Se connecter avec votre compte'),
    h('p', null, 'Vous serez dirigé vers la page de connexion sécurisée du registre (identifiant, mot de passe et code à usage unique), puis ramené ici.'),
    button('Se connecter', { class: 'button primary', onclick: () => void startCognito(cognito).catch((e: unknown) => showError(status, ...refusalContent(e))) }),
  );
}

async function main() {
  let config: WebConfig = { mode: 'aws' };
  try {
    config = await getJson<WebConfig>('/config.json', { auth: false });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  const code = params.get('code');
  const state = params.get('state');
  if (config.cognito && params.has('error')) {
    const restarted = await returnedWithError(config.cognito, state).catch((e: unknown) => {
      showError(status, ...refusalContent(e));
      return false;
    });
    if (restarted) {
      replaceChildren(app, status);
      return;
    }
  }
  if (config.cognito && code && state) {
    replaceChildren(app, status);
    showInfo(status, 'Connexion en cours…');
    await finishCognito(config.cognito, code, state).catch((e: unknown) => showError(status, ...refusalContent(e)));
    return;
  }
  const identity = currentIdentity();
  replaceChildren(
    app,
    status,
    identity
      ? h(
          'section',
          { class: 'card notice', 'aria-labelledby': 'deja-titre' },
          h('h2', { id: 'deja-titre' }, 'Vous êtes connecté'),
          h('p', null, `Rôle : ${identity.roles.map((r) => roleLabels[r]).join(', ')} ; identifiant : `, h('code', null, identity.ledgerId), '.'),
          h(
            'p',
            { class: 'actions' },
            h('a', { class: 'button primary', href: returnTo ?? homeOf(identity.roles[0]!) }, 'Continuer'),
            button('Se déconnecter', {
              class: 'button',
              onclick: () => {
                signOut();
                location.reload();
              },
            }),
          ),
        )
      : null,
    federatedSignIn(config),
    config.cognito ? cognitoSignIn(config.cognito) : null,
    config.mode === 'local' ? localMint() : null,
    pasteToken(),
  );
  if (returnTo && !identity) showInfo(status, 'Connectez-vous pour accéder à la page demandée.');
  if (params.has('retour')) focusOn(byId('titre-page'));
}

void main();
