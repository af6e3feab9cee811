import { refuse } from '../../domain/errors.js';
import { issuingAuthority } from '../../domain/issuing-authority.js';
import { ISSUING_AUTHORITIES } from '../../referential/issuing-authorities.js';
import { candidateRecord, type CandidateRecordDoc } from '../projections/candidate-record.js';
import type { CertificateDoc } from '../projections/certificate-status.js';
import { HEADER_KEY, readDoc } from '../projections/projection.js';
import { sessionOverview, type SessionHeader } from '../projections/session-overview.js';
import { centreFacts, type CentreFacts } from '../projections/statistics-facts.js';
import { partitionOf } from '../ports/read-model-store.js';
import type { LedgerDeps } from '../shared/deps.js';
import type { RouteContext } from '../shared/route.js';
import type { CertificatePdfInput, NamedCertificate } from './certificate-pdf.js';
import { catalogueEntry } from './certificate-facts.js';
import type { CertificateKind } from '../../events/certificate.js';
import type { CertificationVersion } from '../../events/certification.js';

/**
 * Everything the holder's named PDF says but the person: the certification, the jury (its session's dates, the
 * centre's name and region) and the issuing authority as named on the issue date. From the read models only, one
 * item each.
 */
export async function namedCertificateFacts(deps: LedgerDeps, doc: CertificateDoc & { issuance: { hash: string } }) {
  const entry = await catalogueEntry(deps, doc.rncp);
  if (!entry) throw new Error(`certificate ${doc.code} names ${doc.rncp}, which the catalogue does not have`);
  const { version } = entry;
  const { authority, session, centre } = await authorityOfCertificate(deps, { ...doc, version });
  const titles = [...version.blocs, ...version.ccs];
  const pdf: Omit<CertificatePdfInput, 'named'> = {
    publicBaseUrl: deps.publicBaseUrl,
    code: doc.code,
    kind: doc.kind,
    certification: { rncp: version.rncp, title: version.title, level: version.level, certifier: version.certifier },
    blocs: doc.blocs.map((code) => ({ code, title: titles.find((b) => b.code === code)?.title ?? code })),
    issuedOn: doc.issuedOn,
    issuance: { stream: doc.issuance.stream, version: doc.issuance.version, hash: doc.issuance.hash },
    ...(doc.route ? { route: doc.route } : {}),
  };
  const jury: NamedCertificate['jury'] = session?.doc && {
    startsOn: session.doc.startsOn,
    endsOn: session.doc.endsOn,
    ...(centre ? { centre: { name: centre.name, region: centre.region } } : {}),
  };
  // Today's status: a holder's copy of a withdrawn certificate must not pass for a valid one.
  const last = doc.history.at(-1)!;
  const status: NamedCertificate['status'] = last.status === 'valid' ? undefined : { status: last.status, since: last.on };
  return { pdf, jury, authority, status };
}

/**
 * The issuing authority of a certificate as named on its issue date, the public PDF's and the named copy's alike:
 * the region is that of the jury's centre, or for an équivalence (no jury) that of the centre that registered the
 * holder, the DREETS competent for them (DESIGN.md rule 16, as grant-equivalence checks it). A region is no
 * personal data: the public PDF may print it.
 */
export async function authorityOfCertificate(
  deps: Pick<LedgerDeps, 'readModels'>,
  certificate: { kind: CertificateKind; candidateId: string; sessionId?: string | undefined; issuedOn: string; version: CertificationVersion },
) {
  const session = certificate.sessionId ? await deps.readModels.get<SessionHeader>(partitionOf(sessionOverview.model, certificate.sessionId), HEADER_KEY) : undefined;
  const centreId = session?.doc.centreId ?? (await readDoc<CandidateRecordDoc>(deps.readModels, candidateRecord, certificate.candidateId))?.doc.registeredBy;
  const centre = centreId ? (await readDoc<CentreFacts>(deps.readModels, centreFacts, centreId))?.doc : undefined;
  const { version } = certificate;
  const authority = issuingAuthority(
    { kind: certificate.kind, certifier: version.certifier, ofTheState: version.tpCode !== undefined, region: centre?.region, issuedOn: certificate.issuedOn },
    ISSUING_AUTHORITIES,
  );
  return { authority, session, centre };
}

/**
 * The holder's name and birth date, decrypted for this request only; the read is written to their access log
 * before anything is answered (a read that cannot be logged is not served). An erased person has no named copy:
 * 422 personal-data-erased (the public PDF by code stays).
 */
export async function holderOf(deps: Pick<LedgerDeps, 'vault' | 'accessLog' | 'clock'>, ctx: Pick<RouteContext, 'command' | 'request'>, candidateId: string) {
  const person = await deps.vault.get(candidateId);
  const { familyName, givenNames, birthDate } = person ?? {};
  if (familyName === undefined || givenNames === undefined || birthDate === undefined) {
    throw refuse('personal-data-erased', `the personal data of ${candidateId} were erased: the certificate can no longer name its holder (the public PDF by code remains)`);
  }
  await deps.accessLog.record([{ personId: candidateId, at: deps.clock.now(), requestId: ctx.request.requestId, reader: ctx.command.actor, purpose: 'named-certificate' }]);
  return { familyName, givenNames, birthDate };
}
