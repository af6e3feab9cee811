import { Duration } from 'aws-cdk-lib';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct, type IConstruct } from 'constructs';
import type { LedgerFunction, LedgerFunctions } from './ledger-functions.js';

export const START_UP_MODULE = 'start-up/run-start-up-duties';

/**
 * The composition's start-up duties (the referential loaded as events) run at deploy time as `npm start` runs
 * them at each start: a Trigger invokes the function once its tables exist, and again whenever the function —
 * its code or the referential files copied beside it — changes. A failure fails the deployment.
 */
export class LedgerStartUp extends Construct {
  readonly function: LedgerFunction;
  readonly trigger: triggers.Trigger;

  constructor(scope: Construct, id: string, props: { functions: LedgerFunctions; executeAfter: IConstruct[] }) {
    super(scope, id);
    this.function = props.functions.get(START_UP_MODULE, { timeout: Duration.minutes(5), assetFolders: ['referential'] });
    this.trigger = new triggers.Trigger(this, 'Trigger', {
      handler: this.function.handler,
      executeAfter: props.executeAfter,
      executeOnHandlerChange: true,
      timeout: Duration.minutes(5),
    });
  }
}
