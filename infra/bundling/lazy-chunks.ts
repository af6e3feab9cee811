import { type BundlingOptions, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { join } from 'node:path';

/** A module a function imports with `import()` on the path that needs it, shipped as a file beside index.mjs. */
export interface LazyChunk {
  /** The `import()` as the function's code writes it (`./certificate-pdf.js`): kept as is in index.mjs, so it loads the file of that name beside it. */
  specifier: `./${string}.js`;
  /** The module it names, from the project root. */
  source: string;
}

const PDF_RENDERER: LazyChunk = { specifier: './certificate-pdf.js', source: 'functions/certificates/certificate-pdf.ts' };

/**
 * The functions whose heavy library is loaded on first use from a chunk beside index.mjs: Lambda's INIT loads
 * index.mjs alone, and the first request that renders a PDF or speaks OpenID4VCI loads the chunk, through the
 * `import()` already in their code. Without this, esbuild inlines a dynamically imported module into index.mjs (lazy
 * to evaluate, but read and compiled at every cold start).
 * - the PDFs: pdfkit (~131 KB minified), linebreak (~16 KB) and qrcode's encoder (~19 KB);
 * - the OpenID4VCI endpoint: the @openid4vc libraries, @sd-jwt and the classic zod they need.
 * Each chunk is its own esbuild build, not esbuild's code splitting of the function's: splitting puts a module both
 * sides use in a chunk index.mjs loads at INIT, and zod's core, shared by the ledger's zod/mini and the libraries'
 * classic zod, would carry there all the classic API needs (~50 KB more at INIT than zod/mini alone). The price is a
 * second copy, in the chunk, of the few small modules both use.
 */
export const LAZY_CHUNKS: Readonly<Record<string, readonly LazyChunk[]>> = {
  'certificates/get-named-certificate-pdf': [PDF_RENDERER],
  'workflows/render-certificate-pdfs': [PDF_RENDERER],
  'wallet/oid4vci-endpoint': [{ specifier: './wallet-issuer.js', source: 'functions/wallet/wallet-issuer.ts' }],
};

/** The chunks of a function's bundle, none for most. */
export const lazyChunksOf = (module: string): readonly LazyChunk[] => LAZY_CHUNKS[module] ?? [];

/** The file name of a chunk beside index.mjs (`certificate-pdf.js`). */
export const chunkFileOf = (chunk: LazyChunk) => chunk.specifier.slice(2);

/**
 * ESM for the chunks' `.js` names (the specifiers their functions' code writes): the package.json of the asset
 * says so, as Lambda's Node.js runtime reads it (index.mjs is ESM by its extension).
 */
export const CHUNKS_PACKAGE_JSON = JSON.stringify({ type: 'module' });

/** The bundling of a function with lazy chunks: their specifiers left to run time (external), not inlined. */
export function withLazyChunks(bundling: BundlingOptions, chunks: readonly LazyChunk[]): BundlingOptions {
  if (!chunks.length) return bundling;
  return { ...bundling, externalModules: [...(bundling.externalModules ?? []), ...chunks.map((c) => c.specifier)] };
}

/** One argument for bash, quoted: the banner and the aliases hold quotes, semicolons and spaces. */
const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * The bash commands (aws-lambda-nodejs `afterBundling`) that build each chunk beside index.mjs, with the options the
 * construct gives esbuild for index.mjs (those of ledgerBundling it turns into arguments, turned here alike: the
 * aliases of pdfkit's browser build, of the lean zod, the banner, the grants' defines), and the package.json that
 * makes them ESM.
 */
export function lazyChunkCommands(chunks: readonly LazyChunk[], inputDir: string, outputDir: string, bundling: BundlingOptions): string[] {
  if (!chunks.length) return [];
  const esbuildArgs = Object.entries(bundling.esbuildArgs ?? {}).flatMap(([flag, value]) =>
    Array.isArray(value) ? value.map((v) => `${flag}:${v}`) : value === true ? [flag] : [`${flag}=${value}`],
  );
  const sourceMap = bundling.sourceMapMode ?? bundling.sourceMap;
  const options = [
    `--target=${bundling.target}`,
    '--platform=node',
    `--format=${bundling.format}`,
    ...(bundling.minify ? ['--minify'] : []),
    ...(sourceMap ? [bundling.sourceMapMode && bundling.sourceMapMode !== SourceMapMode.DEFAULT ? `--sourcemap=${bundling.sourceMapMode}` : '--sourcemap'] : []),
    ...(bundling.sourcesContent === false ? ['--sources-content=false'] : []),
    ...(bundling.externalModules ?? []).map((m) => `--external:${m}`),
    ...Object.entries(bundling.define ?? {}).map(([key, value]) => `--define:${key}=${value}`),
    ...(bundling.logLevel ? [`--log-level=${bundling.logLevel}`] : []),
    ...(bundling.banner ? [`--banner:js=${bundling.banner}`] : []),
    ...(bundling.mainFields ? [`--main-fields=${bundling.mainFields.join(',')}`] : []),
    ...esbuildArgs,
  ];
  const esbuild = join(inputDir, 'node_modules', '.bin', 'esbuild');
  return [
    `echo ${shellQuote(CHUNKS_PACKAGE_JSON)} > ${shellQuote(join(outputDir, 'package.json'))}`,
    ...chunks.map((chunk) => [esbuild, '--bundle', join(inputDir, chunk.source), `--outfile=${join(outputDir, chunkFileOf(chunk))}`, ...options].map(shellQuote).join(' ')),
  ];
}
