import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { awsLedger } from '../composition/aws-ledger.js';
import { startUpWiring } from '../composition/wiring.js';

/**
 * The deployment's start-up duties (the referential loaded as events, idempotently), invoked by the stack's
 * Trigger after each deployment that changes them, as `npm start` runs them at each start. A failure fails the
 * deployment. The referential's JSON files are copied beside the bundle (infra/constructs/ledger-start-up.ts).
 */
export const handler = async (_event: unknown, context?: Context) => {
  const ledger = awsLedger(startUpWiring(fileURLToPath(new URL('./referential/', import.meta.url))));
  if (context) ledger.deps.logger.addContext(context);
  await ledger.startUp();
  ledger.deps.logger.info('start-up duties done', { duties: ledger.startUpDuties.map((d) => d.name) });
  return { duties: ledger.startUpDuties.map((d) => d.name) };
};
