import { build, buildSync, type BuildOptions } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASSETS_PREFIX } from './site.js';

/** This folder: web/ (pages/ the HTML, src/ the TypeScript of the pages, site.css the style sheet). */
export const webRoot = dirname(fileURLToPath(import.meta.url));

/** One script per page, web/src/pages/<name>.ts → /assets/<name>.js. */
export const pageScripts = ['accueil', 'connexion', 'verification', 'candidat', 'certificateurs', 'ministere'] as const;

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

/** The HTML pages and the style sheet, copied as they are. */
function staticFiles(): { from: string; to: string }[] {
  return [
    ...readdirSync(join(webRoot, 'pages'))
      .filter((f) => f.endsWith('.html'))
      .map((f) => ({ from: join(webRoot, 'pages', f), to: `/${f}` })),
    { from: join(webRoot, 'site.css'), to: `${ASSETS_PREFIX}site.css` },
  ];
}

/** Builds the site in memory (the local server serves it from there): path (`/candidat.html`, `/assets/candidat.js`) → file. */
export async function buildWeb(): Promise<Map<string, WebFile>> {
  const result = await build({ ...esbuildOptions(), outdir: '/assets', write: false });
  const files = new Map<string, WebFile>();
  for (const out of result.outputFiles) files.set(out.path, { contentType: contentTypeOf(out.path), body: out.contents });
  for (const { from, to } of staticFiles()) files.set(to, { contentType: contentTypeOf(to), body: readFileSync(from) });
  return files;
}

/** Builds the site into a folder (the CDK asset deployed to S3). Synchronous: CDK's local bundling is. */
export function writeWebSync(outDir: string): void {
  buildSync({ ...esbuildOptions(), outdir: join(outDir, ASSETS_PREFIX) });
  for (const { from, to } of staticFiles()) {
    mkdirSync(dirname(join(outDir, to)), { recursive: true });
    copyFileSync(from, join(outDir, to));
  }
}
