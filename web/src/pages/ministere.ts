// /ministere: the ministry's dashboard. The statistics table of the RNCP fiche per year and title, charts by year,
// access route and region, and the CSV (downloaded, or written to the exports bucket).
import { call, getJson, send } from '../lib/api.js';
import { barChart, columnChart, type Series } from '../lib/charts.js';
import { byId, button, field, focusOn, form, h, replaceChildren, selectField, showError, showInfo, showSuccess, text, type Child } from '../lib/dom.js';
import { refusalContent, showRefusal } from '../lib/feedback.js';
import { numberFr, percentFr, shortRouteLabels } from '../lib/format.js';
import { defaultVersion } from '../lib/choices.js';
import { initLayout, requireRole } from '../lib/layout.js';
import type { ApiAnswer } from '../lib/wire.js';

interface Breakdown {
  enrolled: number;
  present: number;
  certified: number;
  certifiedViaVae: number;
  ccpIssued: number;
  successRate: number | null;
}
interface Row extends Breakdown {
  year: number;
  rncp: string;
  lineage: string[];
  insertion6mGlobal: number | null;
  insertion6mTargetJob: number | null;
  insertion24mTargetJob: number | null;
  byRoute: Record<string, Breakdown>;
  byRegion: Record<string, Breakdown>;
}
interface Statistics {
  position: number;
  rows: Row[];
}
interface CatalogueEntry {
  rncp: string;
  title: string;
  validFrom: string;
  validUntil: string;
}

const app = byId('app');
initLayout();
const who = requireRole(app, ['ministry'], 'Le tableau de bord du ministère');

const results = h('section', { id: 'resultats', 'aria-labelledby': 'resultats-titre', hidden: true });
const status = h('div', { 'aria-live': 'polite' });
const SERIES: Series[] = [
  { name: 'Inscrits', swatch: 's2' },
  { name: 'Certifiés', swatch: 's1' },
];

function statisticsTable(rows: Row[], title: string) {
  const headers = [
    'Année d’obtention',
    'Inscrits',
    'Présents',
    'Certifiés',
    'dont par la VAE',
    'CCP délivrés',
    'Taux de réussite',
    'Insertion globale à 6 mois',
    'Insertion dans le métier visé à 6 mois',
    'Insertion dans le métier visé à 2 ans',
  ];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', null, `Statistiques de ${title}, par année d’obtention`),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headers.map((label, i) => h('th', { scope: 'col', class: i ? 'num' : undefined }, label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row' }, String(r.year)),
            [r.enrolled, r.present, r.certified, r.certifiedViaVae, r.ccpIssued].map((n) => h('td', { class: 'num' }, numberFr(n))),
            [r.successRate, r.insertion6mGlobal, r.insertion6mTargetJob, r.insertion24mTargetJob].map((p) => h('td', { class: 'num' }, percentFr(p))),
          ),
        ),
      ),
    ),
  );
}

function groupsOf(map: Record<string, Breakdown>, label: (key: string) => string) {
  return Object.entries(map)
    .sort(([, a], [, b]) => b.enrolled - a.enrolled)
    .map(([key, b]) => ({ label: label(key), values: [b.enrolled, b.certified] }));
}

function filename(rncp: string, year: string) {
  return `statistiques-${rncp}-${year || 'toutes-annees'}.csv`;
}

async function downloadCsv(rncp: string, year: string, area: HTMLElement) {
  try {
    const res = await call('GET', `/statistics?${new URLSearchParams({ rncp, ...(year ? { year } : {}), format: 'csv' })}`, { accept: 'text/csv' });
    // The bytes as they come (res.text() would drop the BOM that French spreadsheets need to read UTF-8).
    const blob = new Blob([await res.arrayBuffer()], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: filename(rncp, year), class: 'sr-only' }, 'CSV');
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    showSuccess(area, `Le fichier ${filename(rncp, year)} est téléchargé (position ${res.headers.get('ledger-position') ?? '?'} du registre).`);
  } catch (error) {
    showRefusal(area, error);
  }
}

/** An export by its id: the bytes locally; on AWS a short-lived pre-signed URL, opened as a plain download. */
async function downloadExport(exportId: string, area: HTMLElement) {
  try {
    const res = await call('GET', `/statistics/exports/${encodeURIComponent(exportId)}`, { accept: 'application/json, text/csv' });
    const name = `statistiques-${exportId}.csv`;
    const href = /json/.test(res.headers.get('content-type') ?? '')
      ? ((await res.json()) as { downloadUrl: string }).downloadUrl
      : URL.createObjectURL(new Blob([await res.arrayBuffer()], { type: 'text/csv;charset=utf-8' }));
    const link = h('a', { href, download: name, class: 'sr-only' }, 'CSV');
    document.body.appendChild(link);
    link.click();
    link.remove();
    if (href.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(href), 10_000);
    showSuccess(area, `Le fichier ${name} est téléchargé.`);
  } catch (error) {
    showRefusal(area, error);
  }
}

async function exportCsv(rncp: string, year: string, area: HTMLElement) {
  if (!year) {
    showError(area, h('p', null, 'Choisissez une année pour déposer un export : un export porte sur une année d’obtention.'));
    return;
  }
  try {
    const answer = await send<ApiAnswer<'POST /statistics/exports'>>('POST', '/statistics/exports', { year: Number(year), rncp });
    showSuccess(
      area,
      `Export ${answer.exportId} déposé dans le compartiment des exports (${answer.rows} ligne${answer.rows > 1 ? 's' : ''}, position ${answer.position} du registre). Il y reste 30 jours. `,
      button('Télécharger l’export', { class: 'button small', onclick: () => void downloadExport(answer.exportId, area) }),
    );
  } catch (error) {
    showRefusal(area, error);
  }
}

async function show(rncp: string, year: string, title: string) {
  showInfo(status, 'Chargement des statistiques…');
  let all: Statistics;
  let selected: Statistics;
  try {
    all = await getJson<Statistics>(`/statistics?${new URLSearchParams({ rncp })}`);
    selected = year ? await getJson<Statistics>(`/statistics?${new URLSearchParams({ rncp, year })}`) : all;
  } catch (error) {
    replaceChildren(status);
    showError(status, ...refusalContent(error));
    return;
  }
  const rows = [...selected.rows].sort((a, b) => b.year - a.year);
  const focusYear = year ? Number(year) : Math.max(0, ...all.rows.map((r) => r.year));
  const focusRow = all.rows.find((r) => r.year === focusYear);
  const lineage = rows[0]?.lineage ?? all.rows[0]?.lineage ?? [rncp];
  const area = h('div', { 'aria-live': 'polite' });
  results.hidden = false;
  replaceChildren(
    results,
    h('h2', { id: 'resultats-titre', tabindex: -1 }, `${title} — ${year ? `année ${year}` : 'toutes les années'}`),
    h(
      'p',
      null,
      `Calculé à la position ${selected.position} du registre. `,
      lineage.length > 1 ? `Les chiffres incluent les versions précédentes du titre : ${lineage.slice(1).join(', ')}. ` : '',
      'Les taux sont en pourcentage ; les répondants neutralisés sont exclus des taux d’insertion.',
    ),
    rows.length ? statisticsTable(rows, `${rncp}`) : h('p', { class: 'message info' }, 'Aucune donnée pour cette sélection.'),
    h(
      'div',
      { class: 'card' },
      h('h3', null, 'Télécharger'),
      h(
        'p',
        { class: 'actions' },
        button('Télécharger le CSV', { class: 'button primary', onclick: () => void downloadCsv(rncp, year, area) }),
        button('Déposer l’export au compartiment', { class: 'button', onclick: () => void exportCsv(rncp, year, area) }),
      ),
      h('p', { class: 'muted' }, 'Le CSV reprend les colonnes de la fiche RNCP, puis le détail par voie d’accès et par région (les 18 régions, toujours dans le même ordre).'),
      area,
    ),
    h('h3', null, 'Graphiques'),
    h(
      'div',
      { class: 'charts' },
      columnChart({
        caption: 'Inscrits et certifiés par année',
        firstHeader: 'Année',
        series: SERIES,
        groups: [...all.rows].sort((a, b) => a.year - b.year).map((r) => ({ label: String(r.year), values: [r.enrolled, r.certified] })),
      }),
      barChart({
        caption: `Par voie d’accès, ${focusYear || '—'}`,
        firstHeader: 'Voie d’accès',
        series: SERIES,
        groups: focusRow ? groupsOf(focusRow.byRoute, (k) => shortRouteLabels[k] ?? k) : [],
      }),
      barChart({ caption: `Par région, ${focusYear || '—'}`, firstHeader: 'Région', series: SERIES, groups: focusRow ? groupsOf(focusRow.byRegion, (k) => k) : [] }),
    ),
  );
  showSuccess(status, `Statistiques affichées : ${rows.length} année${rows.length > 1 ? 's' : ''}.`);
  focusOn(byId('resultats-titre'));
}

async function main() {
  const list = await getJson<CatalogueEntry[]>('/certifications', { auth: false });
  const params = new URLSearchParams(location.search);
  const initialRncp = params.get('rncp') ?? defaultVersion(list);
  const titleOf = (rncp: string) => {
    const c = list.find((x) => x.rncp === rncp);
    return c ? `${c.title} (${c.rncp})` : rncp;
  };
  const parts: Child[] = [
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'choix-titre' },
      h('h2', { id: 'choix-titre' }, 'Choisir un titre et une année'),
      form(
        {
          submit: 'Afficher les statistiques',
          label: 'Choisir les statistiques',
          async action(data) {
            const rncp = text(data, 'rncp');
            const year = text(data, 'year');
            const url = new URL(location.href);
            url.search = new URLSearchParams({ rncp, ...(year ? { year } : {}) }).toString();
            history.replaceState(null, '', url);
            await show(rncp, year, titleOf(rncp));
          },
        },
        h(
          'div',
          { class: 'form-row' },
          selectField({
            label: 'Titre',
            name: 'rncp',
            required: true,
            value: initialRncp,
            options: list.map((c) => ({ value: c.rncp, label: `${c.rncp} — ${c.title}` })),
            hint: 'Un titre compte avec ses versions précédentes.',
          }),
          field({
            label: 'Année d’obtention',
            name: 'year',
            type: 'number',
            value: params.get('year') ?? '',
            hint: 'Laisser vide pour toutes les années.',
            attrs: { min: 2000, max: 2099, step: 1, inputmode: 'numeric' },
          }),
        ),
      ),
    ),
    status,
    results,
  ];
  replaceChildren(app, ...parts);
  if (initialRncp && params.has('rncp')) await show(initialRncp, params.get('year') ?? '', titleOf(initialRncp));
}

if (who) void main().catch((error: unknown) => showRefusal(app, error));
