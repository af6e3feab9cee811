import { LogLevel, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { join } from 'node:path';
import { projectRoot } from '../paths.js';

/** Above this, a bundle fails the tests (test/infra/bundling.test.ts, pdf-bundle.test.ts): minified, source map excluded. */
export const MAX_BUNDLE_BYTES = 300 * 1024;
/**
 * The target of issue 15 for every bundle: above it, `npm run bench -- bundles` exits 1. Not met yet: zod's classic
 * API alone is about 178 KB minified in every bundle (its methods are set on each schema, so esbuild cannot drop
 * them); meeting it means zod/mini in everything a Lambda loads (events/, the routes' schemas).
 */
export const TARGET_BUNDLE_BYTES = 150 * 1024;

/** ESM bundles load CommonJS dependencies through `require`, which ESM does not define. */
export const CREATE_REQUIRE_BANNER = "import{createRequire}from'module';const require=createRequire(import.meta.url);";

/** What `zod` resolves to in the bundles: zod's classic API with English only (see zod-lean.ts); `zod/mini` as is. */
export const ZOD_LEAN_ENTRY = join(projectRoot, 'infra', 'bundling', 'zod');
/** pdfkit's browser build (standard fonts registered, no run-time require) and no fontkit (no embedded fonts). */
export const PDFKIT_ENTRY = join(projectRoot, 'infra', 'bundling', 'pdfkit');
export const FONTKIT_STUB = join(projectRoot, 'infra', 'bundling', 'fontkit-stub.ts');

/**
 * How every function is bundled: by the local esbuild (no Docker), ESM for Node 22, minified, with source
 * maps, the AWS SDK v3 left to the one in the Lambda runtime, and zod aliased to its lean entry.
 */
export const ledgerBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: CREATE_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  externalModules: ['@aws-sdk/*'],
  esbuildArgs: { '--alias': [`zod=${ZOD_LEAN_ENTRY}`, `pdfkit=${PDFKIT_ENTRY}`, `fontkit=${FONTKIT_STUB}`] },
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
};
