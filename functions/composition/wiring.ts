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

/**
 * In AWS each part of the wiring runs in its own function: the projector's Streams consumer projects, the reactions'
 * consumer reacts, the deploy-time Trigger runs the duties. Each is composed with its part alone, so that its bundle
 * carries neither the read models nor the reactions it never runs (issue 15).
 */
export const projectionWiring = (): LedgerWiring => ({ projections, followers, reactions: [], startUpDuties: [] });
export const reactionWiring = (): LedgerWiring => ({ projections: [], reactions, startUpDuties: [] });
export const startUpWiring = (referentialDir?: string): LedgerWiring => ({ projections: [], reactions: [], startUpDuties: [referentialDuty(referentialDir)] });
