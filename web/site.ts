/**
 * The web pages' addresses, shared by the local server (web/serve.ts) and CloudFront (infra/constructs/ledger-web.ts),
 * so the two serve the same page at the same path. Data only: no DOM, no Node.
 */

/** A page: the paths it answers, the HTML file that renders it, and what that file says (web/layout.html). */
export interface PageEntry {
  file: string;
  /** The page's script: web/src/pages/<script>.ts. */
  script: string;
  heading: string;
  /** The document title; the heading followed by the site's name unless given. */
  title?: string;
  /** A paragraph under the heading, before the page's script renders. */
  lead?: string;
  /** Exact paths (a trailing slash is ignored). */
  paths: readonly string[];
  /** Paths under this prefix (`/v/` + a code). */
  prefix?: string;
}

export const pages: readonly PageEntry[] = [
  {
    file: 'index.html',
    paths: ['/'],
    script: 'accueil',
    heading: 'Registre des titres professionnels',
    title: 'Registre des titres professionnels',
    lead: 'Le registre enregistre les décisions des jurys, des centres et des DREETS pour les titres professionnels et leurs blocs de compétences (CCP), et permet de vérifier un certificat.',
  },
  { file: 'connexion.html', paths: ['/connexion'], script: 'connexion', heading: 'Connexion' },
  { file: 'verification.html', paths: ['/v'], prefix: '/v/', script: 'verification', heading: 'Vérifier un certificat' },
  { file: 'candidat.html', paths: ['/candidat'], script: 'candidat', heading: 'Mon espace candidat' },
  { file: 'certificateurs.html', paths: ['/certificateurs'], script: 'certificateurs', heading: 'Console des certificateurs' },
  { file: 'ministere.html', paths: ['/ministere'], script: 'ministere', heading: 'Tableau de bord du ministère' },
];

/** The built files other than the pages: scripts and the style sheet, and the runtime configuration. */
export const ASSETS_PREFIX = '/assets/';
export const CONFIG_FILE = 'config.json';

/** The HTML file for a path, or undefined (then it is an asset, the configuration, or nothing). */
export function pageFor(pathname: string): string | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const page of pages) {
    if (page.paths.includes(path)) return page.file;
    if (page.prefix && path.startsWith(page.prefix) && path.length > page.prefix.length && !path.slice(page.prefix.length).includes('/')) return page.file;
  }
  return undefined;
}

/**
 * What the pages may load and where they may connect. `connect` adds origins beyond 'self' (Cognito's sign-in
 * domain in AWS). Inline scripts and styles are never allowed; charts are SVG built through the DOM.
 */
export function contentSecurityPolicy(connect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${connect.map((c) => ` ${c}`).join('')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers of every page and asset, locally; CloudFront's response headers policy sets the same. */
export const securityHeaders = (connect: readonly string[] = []): Record<string, string> => ({
  'content-security-policy': contentSecurityPolicy(connect),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Verification addresses carry a certificate code: never send them to another site.
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
});

/**
 * The CloudFront Function (cloudfront-js-2.0, viewer request) that maps a page's path to its HTML file in the
 * bucket, written from the same table as pageFor (test/infra/web.test.ts runs it against pageFor).
 */
export function cloudFrontRewriteSource(): string {
  const exact: Record<string, string> = {};
  for (const page of pages) for (const path of page.paths) exact[path] = `/${page.file}`;
  const prefixes = pages.filter((p) => p.prefix).map((p) => [p.prefix, `/${p.file}`]);
  return [
    `var EXACT = ${JSON.stringify(exact)};`,
    `var PREFIXES = ${JSON.stringify(prefixes)};`,
    'function handler(event) {',
    '  var request = event.request;',
    '  var uri = request.uri;',
    "  var path = uri.length > 1 ? uri.replace(/\\/+$/, '') : uri;",
    '  if (EXACT[path]) { request.uri = EXACT[path]; return request; }',
    '  for (var i = 0; i < PREFIXES.length; i++) {',
    '    var prefix = PREFIXES[i][0];',
    "    if (path.indexOf(prefix) === 0 && path.length > prefix.length && path.slice(prefix.length).indexOf('/') < 0) { request.uri = PREFIXES[i][1]; return request; }",
    '  }',
    '  return request;',
    '}',
  ].join('\n');
}
