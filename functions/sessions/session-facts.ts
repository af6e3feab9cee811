import { candidateStream } from '../../domain/candidate.js';
import { centre, centreStream } from '../../domain/centre.js';
import { notFound } from '../../domain/errors.js';
import { juror, jurorStream } from '../../domain/juror.js';
import { session, sessionStream, type CentreFacts, type JurorFacts, type OpenSession, type SessionCommand } from '../../domain/session.js';
import type { CertificationVersion } from '../../events/certification.js';
import { certificationCatalogue, type CatalogueEntry } from '../projections/certification-catalogue.js';
import type { LedgerDeps } from '../shared/deps.js';
import type { RouteContext } from '../shared/route.js';
import { readDoc } from '../projections/projection.js';

/**
 * The facts a session command needs from other aggregates, loaded in one place so the route handlers stay
 * thin: the certification version (catalogue read model), the centre and the jurors (their streams).
 */

export async function certificationOf(deps: LedgerDeps, rncp: string): Promise<CertificationVersion | undefined> {
  return (await readDoc<CatalogueEntry>(deps.readModels, certificationCatalogue, rncp))?.doc.version;
}

export async function centreFacts(deps: LedgerDeps, centreId: string): Promise<CentreFacts | undefined> {
  const { state } = await deps.commands.state(centre, centreStream(centreId));
  return state.status === 'registered' ? state : undefined;
}

/** The jurors found among `jurorIds`; an unknown id is simply missing (the decider names it). */
export async function jurorFacts(deps: LedgerDeps, jurorIds: readonly string[]): Promise<JurorFacts[]> {
  const states = await Promise.all(jurorIds.map(async (id) => (await deps.commands.state(juror, jurorStream(id))).state));
  return states.flatMap((s) => (s.status === 'registered' ? [s] : []));
}

export async function candidateRegistered(deps: LedgerDeps, candidateId: string): Promise<boolean> {
  return (await deps.store.read(candidateStream(candidateId))).version > 0;
}

/** A scheduled session and its certification version; 404 when there is no such session. */
export async function sessionFacts(deps: LedgerDeps, sessionId: string): Promise<{ state: OpenSession; certification: CertificationVersion }> {
  const { state } = await deps.commands.state(session, sessionStream(sessionId));
  if (state.status === 'unknown') throw notFound('session-not-found', `no session ${sessionId}`);
  const certification = await certificationOf(deps, state.rncp);
  if (!certification) throw notFound('certification-not-found', `no certification ${state.rncp}`);
  return { state, certification };
}

/** Loads the session's facts, builds the command from them and runs it on the session's stream. */
export async function runSessionCommand(
  deps: LedgerDeps,
  ctx: RouteContext,
  sessionId: string,
  build: (facts: { state: OpenSession; certification: CertificationVersion }) => SessionCommand | Promise<SessionCommand>,
) {
  const command = await build(await sessionFacts(deps, sessionId));
  return deps.commands.handle(session, sessionStream(sessionId), command, ctx.command);
}

/** The caller's id: every session route requires a token, so there is one. */
export const callerId = (ctx: RouteContext) => ctx.caller!.ledgerId;
