// /candidat: the candidate's space. The livret as a timeline, certificates to share, who verified them, notifications.
import QRCode from 'qrcode';
import { call, getJson } from '../lib/api.js';
import { button, byId, h, replaceChildren, showError, showSuccess, table, type Child } from '../lib/dom.js';
import { refusalContent } from '../lib/feedback.js';
import { dateFr, instantFr, kindLabels, numberFr, sessionKindLabels, statusLabels } from '../lib/format.js';
import { initLayout, requireRole, showSignedInName } from '../lib/layout.js';
import type { ApiAnswer } from '../lib/wire.js';
import { accessRows } from '../lib/access-log.js';

type CandidateRecord = ApiAnswer<'GET /candidates/{candidateId}/record'>;
type RecordLine = CandidateRecord['certifications'][number];
type SessionOutcome = CandidateRecord['sessions'][number];
type Notification = ApiAnswer<'GET /candidates/{candidateId}/notifications'>[number];
type AccessLine = ApiAnswer<'GET /candidates/{candidateId}/access-log'>[number];
type Verification = ApiAnswer<'GET /certificates/{code}/verifications'>['verifications'][number];

const topicLabels: Record<string, string> = {
  'session-results': 'Résultats de session',
  'usability-reminder': 'Rappel : un bloc arrive à échéance',
  'usability-lapsed': 'Un bloc ne compte plus pour le titre',
};

const app = byId('app');
initLayout();
const identity = requireRole(app, ['candidate'], 'L’espace candidat');

function timeline(line: RecordLine) {
  type Step = { date: string; cls: string; node: Child[] };
  const steps: Step[] = [];
  for (const b of line.blocs.filter((x) => x.acquired)) {
    steps.push({
      date: b.acquiredAt ?? '',
      cls: b.usable ? 'acquired' : 'lapsed',
      node: [
        h('h4', null, `Bloc ${b.code} acquis`),
        b.title ? h('p', null, b.title) : null,
        h('p', null, b.via?.kind === 'session' ? 'Obtenu en session d’examen.' : b.via?.kind ? 'Obtenu par équivalence.' : null),
        b.usable
          ? h('p', null, h('span', { class: 'badge ok' }, 'Utilisable'), b.usableUntil ? ` pour obtenir le titre jusqu’au ${dateFr(b.usableUntil)}.` : ' pour obtenir le titre.')
          : h(
              'p',
              null,
              h('span', { class: 'badge warn' }, 'N’est plus utilisable'),
              b.usableUntil ? ` pour le titre depuis le ${dateFr(b.usableUntil)}. Le bloc reste acquis : c’est un fait définitif.` : ' pour le titre.',
            ),
      ],
    });
  }
  if (line.titre) {
    steps.push({
      date: line.titre.issuedAt,
      cls: 'titre',
      node: [
        h('h4', null, 'Titre professionnel délivré'),
        h('p', null, line.title ?? line.rncp),
        line.titre.certificateCode ? h('p', null, 'Certificat : ', h('code', null, line.titre.certificateCode)) : null,
      ],
    });
  }
  steps.sort((a, b) => a.date.localeCompare(b.date));
  const pending = line.blocs.filter((b) => !b.acquired);
  return h(
    'ol',
    { class: 'timeline' },
    steps.map((s) => h('li', { class: s.cls }, h('p', { class: 'when' }, dateFr(s.date)), ...s.node)),
    pending.map((b) => h('li', { class: 'pending' }, h('p', { class: 'when' }, 'À venir'), h('h4', null, `Bloc ${b.code} à acquérir`), b.title ? h('p', null, b.title) : null)),
  );
}

function summary(line: RecordLine) {
  if (line.titre) return h('p', { class: 'message success' }, `Titre obtenu le ${dateFr(line.titre.issuedAt)}.`);
  const titleOf = (code: string) => line.blocs.find((b) => b.code === code)?.title;
  const missing = line.missing ?? line.blocs.filter((b) => !b.acquired || !b.usable).map((b) => b.code);
  if (line.eligible || missing.length === 0)
    return h(
      'p',
      { class: 'message info' },
      'Tous les blocs sont acquis et utilisables : vous pouvez vous présenter au jury du titre (entretien final, si la certification l’exige).',
    );
  return h(
    'div',
    { class: 'message info' },
    h('p', null, h('strong', null, `Pour obtenir le titre, il vous manque ${missing.length > 1 ? `${missing.length} blocs` : 'un bloc'} :`)),
    h(
      'ul',
      null,
      missing.map((code) => h('li', null, h('code', null, code), titleOf(code) ? ` — ${titleOf(code)}` : '')),
    ),
  );
}

function livret(record: CandidateRecord) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'livret-titre' },
    h('h2', { id: 'livret-titre' }, 'Mon livret de certification'),
    h('p', { class: 'muted' }, `À jour au ${dateFr(record.asOf)}.`),
    record.certifications.length === 0
      ? h(
          'p',
          null,
          record.sessions.length
            ? 'Aucun bloc n’est encore acquis : voyez ci-dessous ce que le jury a décidé à vos sessions, et ce qui vient ensuite.'
            : 'Aucun bloc n’est encore inscrit à votre livret. Les résultats apparaissent ici dès que la DREETS a validé le procès-verbal de votre session.',
        )
      : record.certifications.map((line) =>
          h(
            'section',
            { 'aria-label': line.title ?? line.rncp },
            h('h3', null, `${line.title ?? 'Certification'} `, h('span', { class: 'muted' }, `(${line.rncp})`)),
            summary(line),
            timeline(line),
          ),
        ),
  );
}

function copyButton(code: string, area: HTMLElement) {
  return button('Copier le code', {
    class: 'button small',
    onclick: () => {
      navigator.clipboard
        .writeText(code)
        .then(() => showSuccess(area, `Code ${code} copié.`))
        .catch(() => showError(area, h('p', null, 'La copie automatique n’est pas possible ici : sélectionnez le code et copiez-le.')));
    },
  });
}

function verificationsTable(code: string, list: Verification[]) {
  if (!list.length) return h('p', null, 'Personne n’a encore vérifié ce certificat.');
  const nameCell = (v: Verification) => (!v.familyNameChecked ? 'Non' : v.familyNameMatches ? 'Oui, nom correct' : 'Oui, nom incorrect');
  return table({
    caption: `Vérifications du certificat ${code}`,
    headers: ['Date de la vérification', 'Statut communiqué', 'Statut à la date du', 'Nom de famille vérifié'],
    // Past a day's first 100 verifications the ledger counts the others per outcome: one line says how many, and when.
    rows: [...list]
      .reverse()
      .map((v) => [
        v.count === undefined ? instantFr(v.at) : `${numberFr(v.count)} ${v.count > 1 ? 'vérifications' : 'vérification'}, du ${instantFr(v.firstAt)} au ${instantFr(v.at)}`,
        statusLabels[v.status] ?? v.status,
        v.asOf ? dateFr(v.asOf) : 'Dates diverses',
        nameCell(v),
      ]),
  });
}

/**
 * The certificate for the European Digital Identity Wallet: an OpenID4VCI offer (single use, 10 minutes) shown as a
 * QR code to scan with the wallet on a phone, and as a link to open it on this device, with the PIN the wallet asks
 * for (tx_code): a photo of the QR code alone does not put the titre in someone else's wallet.
 */
function walletOffer(candidateId: string, code: string) {
  const area = h('div', { class: 'wallet-offer', 'aria-live': 'polite' });
  const ask = button('Ajouter à mon portefeuille d’identité numérique européen', {
    type: 'button',
    async onclick() {
      try {
        const { offerUri, expiresAt, txCode } = await getJson<{ offerUri: string; expiresAt: string; txCode: string }>(
          `/candidates/${encodeURIComponent(candidateId)}/credential-offers/${encodeURIComponent(code)}`,
        );
        // The offer carries its signed code: a dense QR code, drawn at 4 pixels a module with the standard quiet zone
        // so a phone's camera reads it; low error correction keeps it as small as it can be on a screen.
        const qr = await QRCode.toDataURL(offerUri, { errorCorrectionLevel: 'L', margin: 4, scale: 4 });
        replaceChildren(
          area,
          h('img', { src: qr, class: 'wallet-qr', alt: `QR code de l’offre du certificat ${code} pour le portefeuille` }),
          h('p', null, 'Code à saisir dans le portefeuille : ', h('span', { class: 'code code-big wallet-pin' }, txCode)),
          h('p', null, h('a', { href: offerUri, class: 'wallet-link' }, 'Ouvrir l’offre dans l’application portefeuille de cet appareil')),
          h(
            'p',
            { class: 'muted' },
            `Scannez ce QR code avec votre portefeuille, puis saisissez le code à 6 chiffres. L’offre ne sert qu’une fois et expire le ${instantFr(expiresAt)} ; après trois codes erronés, demandez-en une nouvelle.`,
          ),
        );
      } catch (error) {
        showError(area, ...refusalContent(error));
      }
    },
  });
  return h('div', { class: 'wallet' }, ask, area);
}

/**
 * The holder's named copy (their name and birth date on it): fetched with the token, since a plain link would not
 * send it, and handed to the browser as a download.
 */
function namedPdfButton(candidateId: string, code: string, area: HTMLElement) {
  return button('Télécharger le certificat à mon nom (PDF)', {
    type: 'button',
    class: 'button small',
    async onclick() {
      try {
        const res = await call('GET', `/candidates/${encodeURIComponent(candidateId)}/certificates/${encodeURIComponent(code)}/pdf`, { accept: 'application/pdf' });
        const url = URL.createObjectURL(await res.blob());
        const link = h('a', { href: url, download: `certificat-${code}-nominatif.pdf` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      } catch (error) {
        showError(area, ...refusalContent(error));
      }
    },
  });
}

async function certificates(record: CandidateRecord) {
  const titleOf = (rncp: string) => record.certifications.find((c) => c.rncp === rncp)?.title ?? rncp;
  const cards = await Promise.all(
    record.certificates.map(async (c) => {
      const area = h('div', { 'aria-live': 'polite' });
      const url = `${location.origin}/v/${encodeURIComponent(c.code)}`;
      let verifications: Child;
      try {
        verifications = verificationsTable(c.code, (await getJson<{ verifications: Verification[] }>(`/certificates/${encodeURIComponent(c.code)}/verifications`)).verifications);
      } catch (error) {
        verifications = h('div', { class: 'message error' }, ...refusalContent(error));
      }
      return h(
        'article',
        { class: 'card', 'aria-labelledby': `cert-${c.code}` },
        h('h3', { id: `cert-${c.code}` }, `${kindLabels[c.kind] ?? c.kind} — ${titleOf(c.rncp)}`),
        h('p', null, h('span', { class: `badge ${c.status}` }, statusLabels[c.status] ?? c.status), c.blocs?.length ? ` Blocs : ${c.blocs.join(', ')}.` : ''),
        h(
          'div',
          { class: 'share' },
          h('span', null, 'Code à transmettre : ', h('span', { class: 'code code-big' }, c.code)),
          copyButton(c.code, area),
          h('a', { href: `/v/${encodeURIComponent(c.code)}` }, 'Voir la page de vérification'),
          h('a', { href: `/certificates/${encodeURIComponent(c.code)}/pdf`, download: `certificat-${c.code}.pdf` }, 'Télécharger le certificat (PDF)'),
          namedPdfButton(record.candidateId, c.code, area),
        ),
        area,
        c.status === 'valid' ? walletOffer(record.candidateId, c.code) : null,
        h('p', { class: 'muted' }, 'Un employeur vérifie le certificat à l’adresse ', h('span', { class: 'code' }, url), ', ou en scannant le QR code du PDF.'),
        h('h4', null, 'Qui a vérifié ce certificat'),
        h('p', { class: 'muted' }, 'Le registre note chaque vérification, sans savoir qui l’a faite.'),
        verifications,
      );
    }),
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'certificats-titre' },
    h('h2', { id: 'certificats-titre' }, 'Mes certificats'),
    cards.length ? cards : h('p', null, 'Vous n’avez pas encore de certificat.'),
  );
}

function notifications(list: Notification[]) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'notifications-titre' },
    h('h2', { id: 'notifications-titre' }, 'Mes notifications'),
    list.length
      ? h(
          'ul',
          null,
          [...list].reverse().map((n) => h('li', null, h('strong', null, `${instantFr(n.at)} — ${topicLabels[n.kind] ?? n.kind} : `), n.text)),
        )
      : h('p', null, 'Aucune notification.'),
  );
}

/** Outcomes in the words a candidate reads them: what happened. */
const outcomeSentences: Record<string, string> = {
  titre: 'Le jury vous a délivré le titre professionnel.',
  ccp: 'Le jury vous a attribué des blocs (certificats de compétences professionnelles).',
  ajourne: 'Le jury vous a ajourné : aucun bloc n’a été acquis à cette session.',
  absent: 'Vous avez été déclaré absent à cette session.',
  exclu: 'Vous avez été exclu de cette session pour fraude.',
};

/** The outcome mid-sentence: lower case, but « CCP » stays an acronym. */
const outcomeWords: Record<string, string> = { titre: 'titre délivré', ccp: 'CCP acquis', ajourne: 'ajourné', absent: 'absent', exclu: 'exclu (fraude)' };

/** What happened at each session the candidate sat, and what comes next (the re-sit window, the missing blocs). */
function sessions(record: CandidateRecord, catalogue: readonly { rncp: string; title: string }[]) {
  // A session where nothing was acquired leaves no line in the livret: its title comes from the catalogue.
  const titleOf = (rncp: string) => record.certifications.find((c) => c.rncp === rncp)?.title ?? catalogue.find((c) => c.rncp === rncp)?.title ?? rncp;
  const next = (s: SessionOutcome) => {
    if (s.outcome === 'titre') return null;
    const line = record.certifications.find((c) => c.rncp === s.rncp);
    const missing = line?.missing ?? [];
    return h(
      'div',
      null,
      s.resitUntil
        ? h(
            'p',
            null,
            h('strong', null, 'Et maintenant : '),
            `vous pouvez vous présenter de nouveau aux blocs manquants, sans refaire de formation, jusqu’au ${dateFr(s.resitUntil)}.`,
          )
        : h('p', null, h('strong', null, 'Et maintenant : '), 'votre centre vous indique la prochaine session à laquelle vous présenter.'),
      missing.length ? h('p', null, `Blocs qui vous manquent pour le titre : ${missing.join(', ')}.`) : null,
    );
  };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'sessions-titre' },
    h('h2', { id: 'sessions-titre' }, 'Mes sessions d’examen'),
    record.sessions.length
      ? h(
          'ol',
          { class: 'timeline' },
          [...record.sessions]
            .sort((a, b) => b.startsOn.localeCompare(a.startsOn))
            .map((s) =>
              h(
                'li',
                { class: s.outcome === 'titre' || s.outcome === 'ccp' ? 'acquired' : 'lapsed' },
                h('p', { class: 'when' }, s.endsOn !== s.startsOn ? `du ${dateFr(s.startsOn)} au ${dateFr(s.endsOn)}` : dateFr(s.startsOn)),
                h(
                  'h3',
                  null,
                  `${sessionKindLabels[s.kind] ?? s.kind} — ${titleOf(s.rncp)} : `,
                  h('span', { class: `badge outcome-${s.outcome}` }, outcomeWords[s.outcome] ?? s.outcome),
                ),
                h('p', null, outcomeSentences[s.outcome] ?? '', ` Procès-verbal validé par la DREETS le ${dateFr(s.pvValidatedOn)}.`),
                next(s),
              ),
            ),
        )
      : h('p', null, 'Vous n’avez encore passé aucune session, ou son procès-verbal n’est pas encore validé.'),
  );
}

const purposeLabels: Record<string, string> = {
  'centre-candidates': 'la liste des candidats du centre',
  session: 'une session d’examen',
  record: 'votre livret',
  'named-certificate': 'votre certificat nominatif',
};
const readerLabels: Record<string, string> = {
  candidate: 'Vous-même',
  centre: 'Votre centre',
  juror: 'Un juré de votre session',
  dreets: 'Un agent de la DREETS',
  ministry: 'Le ministère',
};
/** Who read, in French: the kind of reader, and the centre's name (an organisation; a person's name stays theirs). */
const readerText = (reader: AccessLine['reader'], jurorNumber?: number) => {
  const label = jurorNumber ? `Juré ${jurorNumber} de votre session` : (readerLabels[reader.role] ?? 'Un autre service');
  return reader.name ? `${label} (${reader.name})` : label;
};

const ACCESS_PAGE = 10;

/** Who read the person's name, when and why (GDPR art. 15), newest first, ten rows a page. */
function accessLog(lines: AccessLine[]) {
  const rows = accessRows(lines);
  const section = h('section', { class: 'card', 'aria-labelledby': 'acces-titre' });
  const status = h('p', { 'aria-live': 'polite', class: 'pager-status' });
  const holder = h('div', null);
  let page = 0;
  const pages = Math.max(1, Math.ceil(rows.length / ACCESS_PAGE));
  const previous = button('Consultations plus récentes', { type: 'button', onclick: () => show(page - 1) });
  const next = button('Consultations plus anciennes', { type: 'button', onclick: () => show(page + 1) });
  function show(n: number) {
    page = Math.min(Math.max(n, 0), pages - 1);
    const shown = rows.slice(page * ACCESS_PAGE, (page + 1) * ACCESS_PAGE);
    replaceChildren(
      holder,
      table({
        caption: 'Consultations de vos nom et prénoms, par jour',
        headers: ['Jour', 'Qui', 'Pour', 'Consultations'],
        rows: shown.map((r) => [dateFr(r.day), readerText(r.reader, r.jurorNumber), purposeLabels[r.purpose] ?? 'un autre motif', numberFr(r.count)]),
      }),
    );
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
    status.textContent = `Page ${page + 1} sur ${pages}`;
  }
  replaceChildren(
    section,
    h('h2', { id: 'acces-titre' }, 'Qui a consulté mes données personnelles'),
    rows.length
      ? [holder, pages > 1 ? h('nav', { 'aria-label': 'Pages des consultations', class: 'pager' }, previous, status, next) : null]
      : h('p', null, 'Personne n’a encore consulté vos données.'),
  );
  if (rows.length) show(0);
  return section;
}

async function main(candidateId: string) {
  try {
    const id = encodeURIComponent(candidateId);
    const [record, notes, reads, catalogue] = await Promise.all([
      getJson<CandidateRecord>(`/candidates/${id}/record`),
      getJson<Notification[]>(`/candidates/${id}/notifications`),
      getJson<AccessLine[]>(`/candidates/${id}/access-log`),
      getJson<{ rncp: string; title: string }[]>('/certifications', { auth: false }).catch(() => []),
    ]);
    if (record.person) showSignedInName(`${record.person.givenNames} ${record.person.familyName}`);
    // One section per concern, in reading order: another (a wallet offer, say) is one more entry.
    const parts: Child[] = [
      record.person ? h('p', { class: 'lead' }, `Bonjour ${record.person.givenNames} ${record.person.familyName}.`) : null,
      livret(record),
      sessions(record, catalogue),
      await certificates(record),
      notifications(notes),
      accessLog(reads),
    ];
    replaceChildren(app, ...parts);
  } catch (error) {
    const area = h('div', null);
    replaceChildren(app, area);
    showError(area, ...refusalContent(error));
  }
}

if (identity) void main(identity.ledgerId);
