import { ContextRefusal } from './context-refusal.js';
import { ledgerApp } from './ledger-app.js';

// `npm run synth` (cdk.json: "app": "npx tsx infra/app.ts"); `npx cdk deploy` to deploy.
try {
  ledgerApp().app.synth();
} catch (error) {
  // A context the deployment refuses is the operator's to fix: one sentence, no stack trace. Anything else is a bug.
  if (!(error instanceof ContextRefusal)) throw error;
  process.stderr.write(`cdk synth refused: ${error.message}.\n`);
  process.exitCode = 1;
}
