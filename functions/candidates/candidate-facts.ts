import { candidateFactsFor, candidateStateOf, candidateStream } from '../../domain/candidate.js';
import { isLivretEvent, livret, type DatedEvent } from '../../domain/livret.js';
import type { CandidateFacts } from '../../domain/session.js';
import type { CandidateEvent } from '../../domain/candidate.js';
import { recordedEvents } from '../shared/command-handler.js';
import type { LedgerDeps } from '../shared/deps.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { referentialOf } from '../workflows/capitalisation-facts.js';

/**
 * What a session (or the session workflow) needs to know of a candidate for one version, read from the
 * candidate's own stream rather than a read model, so a decision never rests on a lagging projection: the
 * blocs usable on `on` as the livret computes them (correspondences included), the titre, the re-sit facts.
 */
export async function candidateFactsOf(deps: LedgerDeps, candidateId: string, rncp: string, on: string): Promise<CandidateFacts | undefined> {
  const slice = await deps.store.read(candidateStream(candidateId));
  if (slice.version === 0) return undefined;
  const events = slice.commits.flatMap(recordedEvents);
  const state = candidateStateOf(events as unknown as CandidateEvent[]);
  const dated = events.flatMap((e) => (isLivretEvent(e.type) ? [{ type: e.type, data: e.data, recordedOn: ledgerDate(e.meta.occurredAt) } as DatedEvent] : []));
  const line = livret(dated, await referentialOf(deps), on).find((c) => c.rncp === rncp);
  const usable = line?.blocs.filter((b) => b.usable).map((b) => b.code) ?? [];
  return candidateFactsFor(state, candidateId, rncp, usable);
}
