// /: what the registry is, and the way to each space.
import { byId, field, form, h, replaceChildren, text } from '../lib/dom.js';
import { initLayout } from '../lib/layout.js';

initLayout();
replaceChildren(
  byId('app'),
  h(
    'ul',
    { class: 'tiles', 'aria-label': 'Espaces du registre' },
    h('li', null, h('a', { href: '/v' }, 'Vérifier un certificat'), h('p', null, 'Employeurs : le statut d’un titre ou d’un CCP à partir de son code, sans compte.')),
    h(
      'li',
      null,
      h('a', { href: '/candidat' }, 'Espace candidat'),
      h('p', null, 'Votre livret : blocs acquis, jusqu’à quand ils comptent, ce qui manque pour le titre, vos certificats.'),
    ),
    h(
      'li',
      null,
      h('a', { href: '/certificateurs' }, 'Console des certificateurs'),
      h('p', null, 'Centres, jurés et DREETS : sessions, jurys, évaluations, délibérations, procès-verbaux.'),
    ),
    h('li', null, h('a', { href: '/ministere' }, 'Tableau de bord du ministère'), h('p', null, 'Statistiques annuelles par titre, voie d’accès et région, export CSV.')),
  ),
  h(
    'section',
    { class: 'card', 'aria-labelledby': 'verif-rapide' },
    h('h2', { id: 'verif-rapide' }, 'Vérification rapide'),
    form(
      {
        submit: 'Vérifier',
        label: 'Vérifier un certificat par son code',
        async action(data) {
          location.assign(`/v/${encodeURIComponent(text(data, 'code').replace(/\s+/g, ''))}`);
        },
      },
      field({ label: 'Code du certificat', name: 'code', required: true, hint: 'Par exemple 7KQ2-M9XD-4HTB-P3W.', attrs: { spellcheck: 'false', maxlength: 64 } }),
    ),
  ),
);
