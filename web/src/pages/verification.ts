// /v and /v/{code}: the employer's verification page, where the certificate's QR code leads. Public: no sign-in.
import { ApiError, getJson } from '../lib/api.js';
import { byId, field, focusOn, form, h, replaceChildren, showError, showSuccess, text } from '../lib/dom.js';
import { refusalContent } from '../lib/feedback.js';
import { dateFr, kindLabels, statusExplanations, statusLabels } from '../lib/format.js';
import { initLayout } from '../lib/layout.js';
import type { ApiAnswer } from '../lib/wire.js';

type Verification = ApiAnswer<'GET /verify/{code}'>;

/** Levels of the national framework (décret du 8 janvier 2019) with the diploma French readers know. */
const levelLabels: Record<number, string> = {
  3: 'niveau 3 (équivalent CAP, BEP)',
  4: 'niveau 4 (équivalent baccalauréat)',
  5: 'niveau 5 (équivalent bac + 2)',
  6: 'niveau 6 (équivalent bac + 3 ou bac + 4)',
  7: 'niveau 7 (équivalent bac + 5)',
  8: 'niveau 8 (équivalent doctorat)',
};
const statusIcons: Record<string, string> = { valid: '✓', suspended: '!', revoked: '✕', not_yet_issued: '…' };

const app = byId('app');
initLayout();

const segments = location.pathname.split('/').filter(Boolean);
/** A hand-typed address may hold a lone `%`: the code is then taken as typed, and the API answers that no certificate has it. */
const decodedSegment = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};
const typed = segments.length === 2 ? decodedSegment(segments[1]!) : undefined;
const asOfParam = new URLSearchParams(location.search).get('date') ?? undefined;

function codeForm(initial = '') {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'saisie-titre' },
    h('h2', { id: 'saisie-titre' }, typed ? 'Vérifier un autre code' : 'Saisir le code du certificat'),
    h('p', null, 'Le code figure sur le certificat, sous le QR code. Le titulaire peut aussi vous le transmettre.'),
    form(
      {
        submit: 'Vérifier',
        label: 'Vérifier un certificat par son code',
        async action(data) {
          const code = text(data, 'code').replace(/\s+/g, '');
          location.assign(`/v/${encodeURIComponent(code)}`);
        },
      },
      field({
        label: 'Code du certificat',
        name: 'code',
        required: true,
        value: initial,
        hint: 'Par exemple 7KQ2-M9XD-4HTB-P3WX6 : 17 caractères, le dernier de contrôle. Majuscules, tirets et espaces facultatifs.',
        attrs: { spellcheck: 'false', autocapitalize: 'characters', maxlength: 64, pattern: '[0-9A-Za-z*~$= \\-]{1,64}' },
      }),
    ),
  );
}

function statusBanner(v: Verification) {
  return h(
    'section',
    { class: `status-banner ${v.status}`, 'aria-labelledby': 'statut-titre', id: 'statut' },
    h('span', { class: 'status-icon', 'aria-hidden': 'true' }, statusIcons[v.status]),
    h(
      'div',
      null,
      h(
        'h2',
        { id: 'statut-titre', class: 'status-word' },
        v.status === 'not_yet_issued' ? 'Certificat pas encore délivré' : `Certificat ${statusLabels[v.status]?.toLowerCase()}`,
      ),
      h('p', null, v.status === 'not_yet_issued' ? `À cette date, ce certificat n’était pas encore délivré : il l’a été le ${dateFr(v.issuedAt)}.` : statusExplanations[v.status]),
      h('p', { class: 'muted' }, asOfParam ? `Statut à la date demandée, le ${dateFr(v.asOf)}.` : `Statut au ${dateFr(v.asOf)}, date du registre.`),
    ),
  );
}

function details(v: Verification) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'certif-titre' },
    h('h2', { id: 'certif-titre' }, 'Ce que le certificat atteste'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Intitulé'),
      h('dd', null, v.certification.title),
      h('dt', null, 'Code RNCP'),
      h('dd', null, h('code', null, v.certification.rncp)),
      h('dt', null, 'Niveau'),
      h('dd', null, levelLabels[v.certification.level] ?? `niveau ${v.certification.level}`),
      h('dt', null, 'Nature'),
      h('dd', null, kindLabels[v.kind] ?? v.kind),
      h('dt', null, v.blocs.length > 1 ? 'Blocs de compétences' : 'Bloc de compétences'),
      h(
        'dd',
        null,
        h(
          'ul',
          null,
          v.blocs.map((b) => h('li', null, h('code', null, b.code), ` — ${b.title}`)),
        ),
      ),
      h('dt', null, 'Délivré le'),
      h('dd', null, dateFr(v.issuedAt)),
      h('dt', null, 'Titulaire'),
      h('dd', null, h('span', { class: 'code' }, v.holder.display), h('span', { class: 'muted' }, ' (nom masqué pour protéger le titulaire)')),
      h('dt', null, 'Code'),
      h('dd', null, h('code', null, v.code)),
    ),
    h('p', null, h('a', { href: `/certificates/${encodeURIComponent(v.code)}/pdf`, download: `certificat-${v.code}.pdf` }, 'Télécharger l’attestation (PDF)')),
  );
}

function nameCheck(v: Verification) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'nom-titre' },
    h('h2', { id: 'nom-titre' }, 'Vérifier le nom du titulaire'),
    h(
      'p',
      null,
      'Saisissez le nom de famille que la personne vous a donné. Le registre répond seulement s’il correspond, sans jamais afficher le nom enregistré. Les accents, majuscules et tirets sont ignorés.',
    ),
    form(
      {
        submit: 'Vérifier le nom',
        label: 'Vérifier le nom de famille du titulaire',
        async action(data, _f, area) {
          const familyName = text(data, 'familyName');
          try {
            const answer = await getJson<Verification>(`/verify/${encodeURIComponent(v.code)}?familyName=${encodeURIComponent(familyName)}`, { auth: false });
            if (answer.familyNameMatches) showSuccess(area, h('span', { class: 'badge ok' }, 'Correspond'), ' Le nom de famille saisi correspond au titulaire du certificat.');
            else
              showError(
                area,
                h(
                  'p',
                  null,
                  h('span', { class: 'badge ko' }, 'Ne correspond pas'),
                  ' Le nom de famille saisi ne correspond pas au titulaire. Vérifiez l’orthographe, ou demandez à la personne son nom de naissance.',
                ),
              );
          } catch (error) {
            showError(area, ...refusalContent(error));
          }
        },
      },
      field({ label: 'Nom de famille', name: 'familyName', required: true, autocomplete: 'off', attrs: { maxlength: 200, spellcheck: 'false' } }),
    ),
  );
}

function history(v: Verification) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'historique-titre' },
    h('h2', { id: 'historique-titre' }, 'Historique du statut'),
    h('p', null, 'Chaque changement est inscrit au registre avec son motif et sa base légale ; rien n’est effacé.'),
    h(
      'ol',
      { class: 'timeline' },
      v.history.map((e) =>
        h(
          'li',
          { class: e.status === 'valid' ? 'acquired' : e.status === 'suspended' ? 'lapsed' : '' },
          h('p', { class: 'when' }, dateFr(e.on)),
          h('p', null, h('span', { class: `badge ${e.status}` }, statusLabels[e.status] ?? e.status)),
        ),
      ),
    ),
    h(
      'form',
      { class: 'form-row', method: 'get', action: location.pathname, 'aria-label': 'Statut à une date passée' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'date-passee' }, 'Statut à une date passée'),
        h('p', { class: 'hint', id: 'date-passee-aide' }, 'Pour savoir si le certificat était valide à la date d’une embauche, par exemple.'),
        h('input', { id: 'date-passee', type: 'date', name: 'date', value: asOfParam, 'aria-describedby': 'date-passee-aide' }),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, 'Afficher le statut à cette date')),
    ),
  );
}

function offline(v: Verification) {
  const code = encodeURIComponent(v.code);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'horsligne-titre' },
    h('h2', { id: 'horsligne-titre' }, 'Vérifier la preuve signée, sans dépendre de ce site'),
    h(
      'p',
      null,
      'Le registre délivre, pour chaque certificat, une attestation numérique signée (Verifiable Credential au format JWS compact, algorithme ES256). Vous pouvez la conserver et en vérifier la signature vous-même :',
    ),
    h(
      'ol',
      null,
      h(
        'li',
        null,
        'Téléchargez la preuve signée : ',
        h('a', { href: `/certificates/${code}/credential`, download: `certificat-${v.code}.jwt` }, 'preuve signée du certificat'),
        '.',
      ),
      h(
        'li',
        null,
        'Trouvez la clé : l’identifiant de clé (kid) de l’en-tête est une adresse DID (did:web) qui mène au document DID du certificateur, publié par ce registre avec ses clés actuelles et retirées ; toutes les clés sont aussi dans le ',
        h('a', { href: '/.well-known/jwks.json', download: 'jwks.json' }, 'jeu de clés publiques (JWKS)'),
        '. Chaque clé indique sa période de validité (validFrom, validUntil) : une clé retirée reste publiée, de sorte qu’un ancien certificat se vérifie toujours.',
      ),
      h(
        'li',
        null,
        'Vérifiez la signature avec la clé dont l’identifiant (kid) figure dans l’en-tête de la preuve, et contrôlez que cette clé était valide à la date de délivrance. Par exemple, avec Node.js et la bibliothèque « jose » :',
      ),
    ),
    h(
      'pre',
      null,
      h(
        'code',
        { lang: 'en' },
        [
          "import { readFileSync } from 'node:fs';",
          "import { compactVerify, createLocalJWKSet } from 'jose';",
          "const keys = createLocalJWKSet(JSON.parse(readFileSync('jwks.json', 'utf8')));",
          `const jws = readFileSync('certificat-${v.code}.jwt', 'utf8').trim();`,
          "const { payload, protectedHeader } = await compactVerify(jws, keys, { algorithms: ['ES256'] });",
          'console.log(protectedHeader.kid, JSON.parse(new TextDecoder().decode(payload)));',
        ].join('\n'),
      ),
    ),
    h(
      'p',
      null,
      'Retrait : la preuve ne change pas après sa délivrance, mais son champ credentialStatus désigne une liste de statuts (Bitstring Status List, W3C) publiée et signée par le même certificateur. Téléchargez la liste indiquée (statusListCredential), vérifiez sa signature comme ci-dessus et lisez le bit à la position statusListIndex : 1 signifie que le certificat a été retiré. Une suspension, provisoire, ne figure que sur cette page : pour le statut du jour, revenez-y.',
    ),
    h(
      'details',
      null,
      h('summary', null, 'Coordonnées de la délivrance dans le registre'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Flux'),
        h('dd', null, h('code', null, v.ledger.stream)),
        h('dt', null, 'Version'),
        h('dd', null, String(v.ledger.version)),
        h('dt', null, 'Empreinte SHA-256'),
        h('dd', null, h('code', null, v.ledger.hash)),
      ),
      h('p', { class: 'muted' }, 'Les mêmes coordonnées sont imprimées sur l’attestation PDF : elles désignent l’inscription au registre dont le certificat est issu.'),
    ),
  );
}

async function show(code: string) {
  replaceChildren(app, h('p', { role: 'status' }, 'Vérification en cours…'));
  try {
    const v = await getJson<Verification>(`/verify/${encodeURIComponent(code)}${asOfParam ? `?asOf=${encodeURIComponent(asOfParam)}` : ''}`, { auth: false });
    document.title = `Certificat ${v.status === 'not_yet_issued' ? 'pas encore délivré' : statusLabels[v.status]?.toLowerCase()} — Vérifier un certificat`;
    replaceChildren(app, statusBanner(v), details(v), nameCheck(v), history(v), offline(v), codeForm());
    focusOn(byId('statut-titre'));
  } catch (error) {
    const notFound = error instanceof ApiError && error.problem.status === 404;
    const area = h('div', { 'aria-live': 'polite' });
    replaceChildren(app, area, codeForm(code));
    if (notFound) {
      document.title = 'Certificat introuvable — Vérifier un certificat';
      showError(
        area,
        h('h2', null, 'Aucun certificat ne correspond à ce code'),
        h('p', null, 'Vérifiez le code saisi (les lettres I, L et O se lisent 1 et 0). Un certificat retiré reste vérifiable : un code introuvable n’a jamais été délivré.'),
      );
    } else showError(area, ...refusalContent(error));
    focusOn(area.firstElementChild as HTMLElement);
  }
}

if (typed) void show(typed);
else replaceChildren(app, codeForm());
