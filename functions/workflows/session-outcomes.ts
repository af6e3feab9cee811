import { sessionStream, titreRouteOf } from '../../domain/session.js';
import type { TitreRoute } from '../../events/candidate.js';
import type { AccessRoute, CertificationVersion } from '../../events/certification.js';
import { certificationCatalogue, type CatalogueEntry } from '../projections/certification-catalogue.js';
import { recordedEvents } from '../shared/command-handler.js';
import type { LedgerDeps } from '../shared/deps.js';
import { readDoc } from '../projections/projection.js';

export interface PvOutcome {
  candidateId: string;
  outcome: 'titre' | 'ccp' | 'ajourne' | 'absent' | 'exclu';
  blocs: string[];
  /** The session and the enrolment, for the candidate's own record of the decision (and the re-sit window). */
  enrolment: { kind: 'titre' | 'ccp' | 'ccs'; route: AccessRoute; blocs: string[]; startsOn: string; endsOn: string };
  titreRoute: TitreRoute;
}

/** What a validated PV decided, read from the session's stream: the input of the session workflow's Map. */
export async function pvOutcomes(deps: LedgerDeps, sessionId: string) {
  const slice = await deps.store.read(sessionStream(sessionId));
  let rncp: string | undefined;
  let decidedOn: string | undefined;
  let session = { kind: 'titre' as 'titre' | 'ccp' | 'ccs', blocs: [] as string[], startsOn: '', endsOn: '' };
  const enrolments = new Map<string, { route: AccessRoute; blocs: string[] }>();
  const finals = new Map<string, PvOutcome>();
  for (const event of slice.commits.flatMap(recordedEvents)) {
    if (event.type === 'SessionScheduled') {
      rncp = event.data.rncp;
      session = { kind: event.data.kind, blocs: event.data.blocs, startsOn: event.data.startsOn, endsOn: event.data.endsOn };
    }
    if (event.type === 'CandidateEnrolled') enrolments.set(event.data.candidateId, { route: event.data.route, blocs: event.data.blocs });
    if (event.type === 'DeliberationFinalised') {
      const { candidateId, outcome, blocs } = event.data;
      const enrolment = enrolments.get(candidateId) ?? { route: 'formation_continue' as const, blocs: session.blocs };
      finals.set(candidateId, {
        candidateId,
        outcome,
        blocs,
        enrolment: { kind: session.kind, route: enrolment.route, blocs: enrolment.blocs, startsOn: session.startsOn, endsOn: session.endsOn },
        titreRoute: titreRouteOf(session, enrolment),
      });
    }
    if (event.type === 'PvValidated') decidedOn ??= event.data.validatedOn;
  }
  return { rncp, decidedOn, candidates: [...finals.values()] };
}

export async function certificationVersion(deps: LedgerDeps, rncp: string): Promise<CertificationVersion> {
  const entry = await readDoc<CatalogueEntry>(deps.readModels, certificationCatalogue, rncp);
  if (!entry) throw new Error(`certification ${rncp} is not in the catalogue read model yet`);
  return entry.doc.version;
}
