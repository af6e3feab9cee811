import { followers, projections } from '../projections/index.js';
import { reactions } from '../reactions/index.js';
import { loadReferential } from '../referential/load-referential.js';
import type { LedgerWiring, StartUpDuty } from './compose-ledger.js';

/** The referential loaded as events (idempotently), from `dir` (a Lambda asset has the files beside its bundle). */
export const referentialDuty = (dir?: string): StartUpDuty => ({
  name: 'referential',
  run: (ledger) => loadReferential(ledger.commands, ledger.clock, undefined, dir).then(() => undefined),
});

/** The ledger's whole wiring: every read model, the one list of reactions, the start-up duties. */
export const ledgerWiring = (referentialDir?: string): LedgerWiring => ({ projections, followers, reactions, startUpDuties: [referentialDuty(referentialDir)] });
