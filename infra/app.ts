import { ContextRefusal } from './context-refusal.js';
import { ledgerApp } from './ledger-app.js';
import { projectRoot } from './paths.js';
import { recordSourceHash, sourceHash } from './source-hash.js';

// `npm run synth` (cdk.json: "app": "npx tsx infra/app.ts"); `npx cdk deploy` to deploy.
try {
  // Hashed before the synthesis: a source edited while it runs makes the next `npm run twin` synthesise again.
  const hash = sourceHash(projectRoot);
  const { app } = ledgerApp();
  app.synth();
  // Every synth (`npm run synth`, `cdk deploy`, the twin's) says what it was made from, so the twin reuses it.
  recordSourceHash(app.outdir, hash);
} catch (error) {
  // A context the deployment refuses is the operator's to fix: one sentence, no stack trace. Anything else is a bug.
  if (!(error instanceof ContextRefusal)) throw error;
  process.stderr.write(`cdk synth refused: ${error.message}.\n`);
  process.exitCode = 1;
}
