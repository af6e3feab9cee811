import { currentIdentity, roleLabels, signOut, type Identity, type Role } from './auth.js';
import { button, h, replaceChildren } from './dom.js';

/** The header's identity line (who is signed in, sign out) and the current page in the navigation. */
export function initLayout(): Identity | undefined {
  const identity = currentIdentity();
  const slot = document.getElementById('identite');
  if (slot) {
    if (identity) {
      replaceChildren(
        slot,
        // The role until the page has read the name (an id means nothing to a reader): see showSignedInName.
        h('span', { class: 'who' }, 'Connecté : ', h('strong', null, identity.roles.map((r) => roleLabels[r]).join(', '))),
        ' ',
        button('Se déconnecter', {
          class: 'button secondary small',
          onclick: () => {
            signOut();
            location.assign('/connexion');
          },
        }),
      );
    } else {
      replaceChildren(slot, h('a', { href: `/connexion?retour=${encodeURIComponent(location.pathname + location.search)}` }, 'Se connecter'));
    }
  }
  const here = location.pathname.replace(/\/+$/, '') || '/';
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('nav.main-nav a'))) {
    const target = new URL(link.href).pathname;
    if (target === here || (target !== '/' && here.startsWith(`${target}/`))) link.setAttribute('aria-current', 'page');
  }
  return identity;
}

/**
 * The header names who is signed in once the page has read it: the candidate's own name, the centre's. A juror
 * cannot read their own name from the API (API.md): their header stays « Juré ».
 */
export function showSignedInName(name: string) {
  const identity = currentIdentity();
  const who = document.querySelector('#identite .who');
  if (!identity || !who || !name.trim()) return;
  replaceChildren(who, 'Connecté : ', h('strong', null, name.trim()), ` (${identity.roles.map((r) => roleLabels[r]).join(', ')})`);
}

/**
 * The identity when its role may use this page; otherwise an invitation to sign in (or to change account)
 * is rendered in `container` and undefined returned.
 */
export function requireRole(container: HTMLElement, roles: readonly Role[], what: string): Identity | undefined {
  const identity = currentIdentity();
  if (identity?.roles.some((r) => roles.includes(r))) return identity;
  const back = `/connexion?retour=${encodeURIComponent(location.pathname + location.search)}`;
  replaceChildren(
    container,
    h(
      'section',
      { class: 'card notice', 'aria-labelledby': 'acces-titre' },
      h('h2', { id: 'acces-titre' }, identity ? 'Cet espace n’est pas celui de votre rôle' : 'Connexion nécessaire'),
      h('p', null, `${what} est réservé aux rôles suivants : ${roles.map((r) => roleLabels[r]).join(', ')}.`),
      identity ? h('p', null, `Vous êtes connecté en tant que ${identity.roles.map((r) => roleLabels[r]).join(', ')}.`) : null,
      h('p', null, h('a', { class: 'button primary', href: back }, identity ? 'Changer de compte' : 'Se connecter')),
    ),
  );
  return undefined;
}
