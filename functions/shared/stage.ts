/**
 * Where a ledger runs: `production` on its own domain, or `development` (a trial stack on the distribution's
 * *.cloudfront.net address, infra/ledger-app.ts). What a development stage issues is a specimen: its pages,
 * credentials and PDFs say so, so that nobody takes them for a certificate of the State.
 */
export type LedgerStage = 'production' | 'development';

/** The words every page, credential and PDF of a development stage carries. */
export const DEVELOPMENT_MARK = 'SPÉCIMEN — environnement de développement, sans valeur officielle';
