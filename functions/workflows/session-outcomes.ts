import { sessionStream } from '../../domain/session.js';
import type { CertificationVersion } from '../../events/certification.js';
import { certificationCatalogue, type CatalogueEntry } from '../projections/certification-catalogue.js';
import { recordedEvents } from '../shared/command-handler.js';
import type { LedgerDeps } from '../shared/deps.js';

export interface PvOutcome {
  candidateId: string;
  outcome: 'titre' | 'ccp' | 'ajourne' | 'absent';
  blocs: string[];
}

/** What a validated PV decided, read from the session's stream: the input of the session workflow's Map. */
export async function pvOutcomes(deps: LedgerDeps, sessionId: string) {
  const slice = await deps.store.read(sessionStream(sessionId));
  let rncp: string | undefined;
  let decidedOn: string | undefined;
  const finals = new Map<string, PvOutcome>();
  for (const event of slice.commits.flatMap(recordedEvents)) {
    if (event.type === 'SessionScheduled') rncp = event.data.rncp;
    if (event.type === 'DeliberationFinalised') finals.set(event.data.candidateId, { candidateId: event.data.candidateId, outcome: event.data.outcome, blocs: event.data.blocs });
    if (event.type === 'PvValidated') decidedOn ??= event.data.validatedOn;
  }
  return { rncp, decidedOn, candidates: [...finals.values()] };
}

export async function certificationVersion(deps: LedgerDeps, rncp: string): Promise<CertificationVersion> {
  const entry = await deps.readModels.get<CatalogueEntry>(certificationCatalogue.model, rncp);
  if (!entry) throw new Error(`certification ${rncp} is not in the catalogue read model yet`);
  return entry.doc.version;
}
