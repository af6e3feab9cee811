import { build, buildSync, type BuildOptions } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVELOPMENT_MARK, type LedgerStage } from '../functions/shared/stage.js';
import { ASSETS_PREFIX, pages, type PageEntry } from './site.js';

/** This folder: web/ (layout.html the shell of every page, src/ the TypeScript of the pages, site.css the style sheet). */
export const webRoot = dirname(fileURLToPath(import.meta.url));

/** One script per page, web/src/pages/<name>.ts → /assets/<name>.js. */
export const pageScripts = pages.map((p) => p.script);

export interface WebFile {
  contentType: string;
  body: Uint8Array;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};
export const contentTypeOf = (path: string) => contentTypes[extname(path)] ?? 'application/octet-stream';

const esbuildOptions = (): BuildOptions => ({
  entryPoints: pageScripts.map((name) => ({ in: join(webRoot, 'src', 'pages', `${name}.ts`), out: name })),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // Browsers of the last years: what the ministries' and the candidates' machines run.
  target: ['chrome109', 'firefox115', 'safari15.6', 'edge109'],
  minify: true,
  legalComments: 'none',
  logLevel: 'silent',
});

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A page's HTML: the one layout (header, navigation, footer) with the page's title, heading and script. */
export function pageHtml(page: PageEntry, layout = readFileSync(join(webRoot, 'layout.html'), 'utf8'), stage?: LedgerStage): string {
  const values: Record<string, string> = {
    // In the page itself, not added by a script: it shows with JavaScript off, and on every page.
    stageBanner: stage === 'development' ? `<p class="stage-banner" role="note">${escapeHtml(DEVELOPMENT_MARK)}</p>\n` : '',
    title: escapeHtml(page.title ?? `${page.heading} — Registre des titres professionnels`),
    heading: escapeHtml(page.heading),
    script: page.script,
    lead: page.lead ? `  <p class="lead">${escapeHtml(page.lead)}</p>\n` : '',
  };
  return layout.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
}

/** The pages (from the layout) and the style sheet. */
function staticFiles(stage?: LedgerStage): { to: string; body: Uint8Array }[] {
  const layout = readFileSync(join(webRoot, 'layout.html'), 'utf8');
  return [
    ...pages.map((page) => ({ to: `/${page.file}`, body: new TextEncoder().encode(pageHtml(page, layout, stage)) })),
    { to: `${ASSETS_PREFIX}site.css`, body: readFileSync(join(webRoot, 'site.css')) },
  ];
}

/** Builds the site in memory (the local server serves it from there): path (`/candidat.html`, `/assets/candidat.js`) → file. */
export async function buildWeb(): Promise<Map<string, WebFile>> {
  const result = await build({ ...esbuildOptions(), outdir: '/assets', write: false });
  const files = new Map<string, WebFile>();
  for (const out of result.outputFiles) files.set(out.path, { contentType: contentTypeOf(out.path), body: out.contents });
  for (const { to, body } of staticFiles()) files.set(to, { contentType: contentTypeOf(to), body });
  return files;
}

/** Builds the site into a folder (the CDK asset deployed to S3). Synchronous: CDK's local bundling is. */
export function writeWebSync(outDir: string, options: { stage?: LedgerStage } = {}): void {
  buildSync({ ...esbuildOptions(), outdir: join(outDir, ASSETS_PREFIX) });
  for (const { to, body } of staticFiles(options.stage)) {
    mkdirSync(dirname(join(outDir, to)), { recursive: true });
    writeFileSync(join(outDir, to), body);
  }
}
