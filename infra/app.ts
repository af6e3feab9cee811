import { ledgerApp } from './ledger-app.js';

// `npm run synth` (cdk.json: "app": "npx tsx infra/app.ts"); `npx cdk deploy` to deploy.
ledgerApp().app.synth();
