import { LogLevel, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { join } from 'node:path';
import type { FunctionAccess } from '../function-access.js';
import { projectRoot } from '../paths.js';

/** Above this, a bundle fails the tests (test/infra/bundling.test.ts, pdf-bundle.test.ts): minified, source map excluded. */
export const MAX_BUNDLE_BYTES = 300 * 1024;
/**
 * The target of issue 15 for every bundle: above it, `npm run bench -- bundles` exits 1 and test/infra/bundle-sizes.test.ts
 * fails. Met by every function that
 * takes zod from events/zod.ts (zod/mini) and carries only the adapters of its grants (grantDefines), the wallet's
 * metadata and offer routes included (they publish the OpenID4VCI documents without @openid4vc). What is held to it is
 * the index.mjs Lambda loads at INIT: the OpenID4VCI endpoint's libraries (@openid4vc, @sd-jwt and the classic zod they
 * need) and the PDF functions' renderer (pdfkit is one module of ~131 KB minified, linebreak ~16 KB, qrcode's encoder
 * ~19 KB; png-js is stubbed) are chunks beside it, loaded on first use (lazy-chunks.ts), each under MAX_BUNDLE_BYTES.
 */
export const TARGET_BUNDLE_BYTES = 150 * 1024;

/** ESM bundles load CommonJS dependencies through `require`, which ESM does not define. */
export const CREATE_REQUIRE_BANNER = "import{createRequire}from'module';const require=createRequire(import.meta.url);";

/** What `zod` resolves to in the bundles: zod's classic API with English only (see zod-lean.ts), for the libraries that use it; `zod/mini` as is, `zod/locales` English only. */
export const ZOD_LEAN_ENTRY = join(projectRoot, 'infra', 'bundling', 'zod');
/** pdfkit's browser build (standard fonts registered, no run-time require) and no fontkit (no embedded fonts). */
export const PDFKIT_ENTRY = join(projectRoot, 'infra', 'bundling', 'pdfkit');
export const FONTKIT_STUB = join(projectRoot, 'infra', 'bundling', 'fontkit-stub.ts');
/** No png-js: the certificates embed no raster image (their QR code is vector squares). */
export const PNG_JS_STUB = join(projectRoot, 'infra', 'bundling', 'png-js-stub.ts');
/** pdfkit's zlibSync over node:zlib, and no AES (never encrypted): fflate-zlib.ts, pdf-encryption-stub.ts. */
export const FFLATE_ZLIB = join(projectRoot, 'infra', 'bundling', 'fflate-zlib.ts');
export const PDF_ENCRYPTION_STUB = join(projectRoot, 'infra', 'bundling', 'pdf-encryption-stub.ts');
/** pako's gzip and ungzip over node:zlib (see pako-zlib.ts). */
export const PAKO_ZLIB = join(projectRoot, 'infra', 'bundling', 'pako-zlib.ts');

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
  esbuildArgs: {
    '--alias': [
      `zod=${ZOD_LEAN_ENTRY}`,
      `pdfkit=${PDFKIT_ENTRY}`,
      `fontkit=${FONTKIT_STUB}`,
      `png-js=${PNG_JS_STUB}`,
      `pako=${PAKO_ZLIB}`,
      `fflate=${FFLATE_ZLIB}`,
      `@noble/ciphers/aes=${PDF_ENCRYPTION_STUB}`,
    ],
  },
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
};

/**
 * The ports a function has no grant for, as constants of its bundle: functions/composition/aws-ledger.ts then builds a
 * denying stand-in for each, and esbuild drops the adapter (and what only it imports, such as jose for the signer).
 * The grants and the code a function carries come from the one FunctionAccess, so they cannot disagree.
 */
export function grantDefines(access: FunctionAccess): Record<string, string> {
  const denied = {
    VAULT: !access.vault,
    DOCUMENTS: !access.documents,
    EXPORTS: !access.exports,
    SIGNER: !access.signing,
    NOTIFIER: !access.email,
    ACCOUNTS: !access.accounts,
    WORKFLOWS: !access.startsWorkflows?.length,
    SCHEDULER: !access.schedules,
    ACCESS_LOG: !access.accessLog,
    // The verification log is written by the verify route and read by the holder's list; the limiter counts public routes.
    VERIFICATIONS: !access.verifications,
    RATE_LIMIT: !access.rateLimit,
    // The origin secret is read by the rate-limited routes alone (infra/constructs/ledger-functions.ts grants it with rateLimit).
    ORIGIN_SECRETS: !access.rateLimit,
  };
  return Object.fromEntries(Object.entries(denied).map(([port, no]) => [`process.env.LEDGER_BUNDLE_${port}`, JSON.stringify(no ? 'denied' : 'granted')]));
}
