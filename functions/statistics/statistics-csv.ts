import { ACCESS_ROUTE_LABELS } from '../../referential/access-routes.js';
import { REGIONS } from '../../referential/regions.js';
import type { StatisticsAnswer, StatisticsRow } from './statistics-report.js';

/** Excel (French locale) and LibreOffice read a `;`-separated file as columns, and UTF-8 only after a BOM. */
const BOM = '\uFEFF';
const SEPARATOR = ';';

type Breakdown = StatisticsRow['byRegion'][string];
type Column = { header: string; value: (row: StatisticsRow, position: number) => string | number | null };

const routeKeys = Object.keys(ACCESS_ROUTE_LABELS) as (keyof typeof ACCESS_ROUTE_LABELS)[];
const regionNames = new Set<string>(REGIONS.map((r) => r.name));

/** What a breakdown holds for the CSV: enrolled and certified (the rates follow from them). */
const breakdownColumns = (label: string, pick: (row: StatisticsRow) => Breakdown | undefined): Column[] => [
  { header: `Inscrits — ${typographic(label)}`, value: (row) => pick(row)?.enrolled ?? 0 },
  { header: `Certifiés — ${typographic(label)}`, value: (row) => pick(row)?.certified ?? 0 },
];

/** A region's name in a header with the file's apostrophe (the referential keeps the official "Côte d'Azur"). */
const typographic = (label: string) => label.replaceAll("'", '’');

/** Sums the breakdowns under keys that are not one of the 18 regions (centres registered before regions were checked). */
const elsewhere = (row: StatisticsRow): Breakdown | undefined => {
  const others = Object.entries(row.byRegion).filter(([name]) => !regionNames.has(name));
  if (!others.length) return undefined;
  const sum = { ...others[0]![1], enrolled: 0, certified: 0 };
  for (const [, b] of others) {
    sum.enrolled += b.enrolled;
    sum.certified += b.certified;
  }
  return sum;
};

/**
 * The column names of the RNCP fiche's statistics table, as the fiche words them; every header of the file writes
 * its apostrophes one way (’) and VAE as the acronym it is (the fiche's page mixes both).
 */
export const FICHE_COLUMNS = [
  'Année d’obtention de la certification',
  'Nombre de certifiés',
  'Nombre de certifiés à la suite d’un parcours VAE',
  'Taux d’insertion global à 6 mois (en %)',
  'Taux d’insertion dans le métier visé à 6 mois (en %)',
  'Taux d’insertion dans le métier visé à 2 ans (en %)',
] as const;

/**
 * The ministry's columns, fixed whatever the data: the fiche's first, then the counts, each access route and each of
 * the 18 regions (alphabetical), then the ledger position. A column never appears or vanishes with the data, so a
 * spreadsheet built on one year's file reads the next.
 */
export const STATISTICS_COLUMNS: readonly Column[] = [
  { header: FICHE_COLUMNS[0], value: (row) => row.year },
  { header: FICHE_COLUMNS[1], value: (row) => row.certified },
  { header: FICHE_COLUMNS[2], value: (row) => row.certifiedViaVae },
  { header: FICHE_COLUMNS[3], value: (row) => row.insertion6mGlobal },
  { header: FICHE_COLUMNS[4], value: (row) => row.insertion6mTargetJob },
  { header: FICHE_COLUMNS[5], value: (row) => row.insertion24mTargetJob },
  { header: 'Code RNCP', value: (row) => row.rncp },
  { header: 'Filiation (versions comptées)', value: (row) => row.lineage.join(' ') },
  { header: 'Inscrits', value: (row) => row.enrolled },
  { header: 'Présents', value: (row) => row.present },
  { header: 'CCP délivrés', value: (row) => row.ccpIssued },
  { header: 'Taux de réussite (en %)', value: (row) => row.successRate },
  ...routeKeys.flatMap((route) => breakdownColumns(ACCESS_ROUTE_LABELS[route], (row) => row.byRoute[route])),
  ...[...REGIONS].sort((a, b) => a.name.localeCompare(b.name, 'fr')).flatMap((region) => breakdownColumns(region.name, (row) => row.byRegion[region.name])),
  ...breakdownColumns('région non renseignée', elsewhere),
  { header: 'Position du registre', value: (_row, position) => position },
];

const cell = (value: string | number | null): string => {
  if (value === null) return '';
  const text = String(value);
  return /[";\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The statistics answer as the ministry's CSV: UTF-8 with BOM, `;`, CRLF (RFC 4180 otherwise), French headers. */
export function statisticsCsv(answer: StatisticsAnswer): string {
  const lines = [STATISTICS_COLUMNS.map((c) => c.header), ...answer.rows.map((row) => STATISTICS_COLUMNS.map((c) => c.value(row, answer.position)))];
  return `${BOM}${lines.map((line) => line.map(cell).join(SEPARATOR)).join('\r\n')}\r\n`;
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
