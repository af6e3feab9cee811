import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { chunkFileOf, lazyChunksOf } from '../../infra/bundling/lazy-chunks.js';
import { type FunctionOptions, LedgerFunction } from '../../infra/constructs/ledger-functions.js';
import { accessOf } from '../../infra/function-access.js';
import { projectRoot } from '../../infra/paths.js';

/** One function's asset, bundled as `cdk synth` bundles it for the stack. */
export interface StackBundle {
  /** The asset's directory: index.mjs and the folders copied beside it. */
  assetDir: string;
  /** Its index.mjs, what Lambda's INIT loads. */
  file: string;
  /** The chunks beside it that the function loads on first use (infra/bundling/lazy-chunks.ts), none for most. */
  chunks: string[];
  /** The bundle's text, as shipped (minified). */
  source(): string;
  /** Loads the bundle as Lambda's INIT phase does: one `import()` of its index.mjs. */
  load<T = { handler: (event: unknown) => Promise<any> }>(): Promise<T>;
  remove(): void;
}

/**
 * Synthesises one LedgerFunction of `module` with bundling on, with the grants (`access`) the stack gives it, into a
 * scratch directory under node_modules/.cache: the bundle then resolves the AWS SDK it leaves out from node_modules,
 * as it resolves it from the Lambda runtime.
 */
export function bundleAsTheStackDoes(module: string, options: FunctionOptions = {}): StackBundle {
  const cache = join(projectRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(join(cache, `ledger-${module.replace(/\W+/g, '-')}-bundle-`));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const fn = new LedgerFunction(new Stack(app, 'Bundle'), 'Fn', {
    module,
    environment: {},
    logRetention: logs.RetentionDays.ONE_DAY,
    access: accessOf(module, options.method),
    ...options,
  });
  app.synth();
  const assetDir = join(outdir, (fn.handler.node.defaultChild as CfnFunction).getMetadata('aws:asset:path') as string);
  const file = join(assetDir, 'index.mjs');
  return {
    assetDir,
    file,
    chunks: lazyChunksOf(module).map((chunk) => join(assetDir, chunkFileOf(chunk))),
    source: () => readFileSync(file, 'utf8'),
    load: async <T>() => (await import(pathToFileURL(file).href)) as T,
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
