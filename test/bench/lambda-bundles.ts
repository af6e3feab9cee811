import { REBUILD_MODULES } from '../../infra/workflows/rebuild-read-models.js';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunkFileOf, lazyChunksOf } from '../../infra/bundling/lazy-chunks.js';
import { ledgerApp } from '../../infra/ledger-app.js';

export interface BuiltBundle {
  /** The function's module in the route manifest or the consumers (`sessions/enrol-candidate`). */
  module: string;
  /** Its index.mjs, as the stack ships it: what Lambda's INIT loads. */
  file: string;
  /** The chunks beside it, loaded on first use (infra/bundling/lazy-chunks.ts), none for most. */
  chunks: { name: string; file: string }[];
}

/**
 * Every Lambda bundle, built exactly as `cdk synth` builds them (the app synthesised with bundling on) into
 * `outdir`. An outdir inside the project lets a bundle resolve the AWS SDK it leaves out from node_modules, as it
 * resolves it from the Lambda runtime.
 */
export function buildLambdaBundles(outdir: string): BuiltBundle[] {
  const { app, stack } = ledgerApp({ nag: false, outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  app.synth();
  // The ledger's functions, and the rebuild's (an operator's, kept apart from the registry).
  const rebuild = Object.entries(REBUILD_MODULES).map(([step, module]) => [module, stack.rebuild.functions[step as keyof typeof REBUILD_MODULES]] as const);
  return [...stack.functions.all(), ...rebuild].map(([module, fn]) => {
    const assetPath = (fn.handler.node.defaultChild as CfnFunction).getMetadata('aws:asset:path') as string | undefined;
    if (!assetPath) throw new Error(`no asset for ${module}`);
    const file = join(outdir, assetPath, 'index.mjs');
    // INIT loads index.mjs alone only if it imports no file of its own statically (a chunk esbuild's splitting would share).
    if (/from\s*"\.\//.test(readFileSync(file, 'utf8'))) throw new Error(`${module}: index.mjs imports a file beside it at INIT`);
    const chunks = lazyChunksOf(module).map((chunk) => ({ name: chunkFileOf(chunk), file: join(outdir, assetPath, chunkFileOf(chunk)) }));
    return { module, file, chunks };
  });
}
