import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { certificate, certificateStream, type CertificateEvent, type CertificateState } from '../../domain/certificate.js';
import { CERTIFICATE_CODE_BYTES, certificateCodeFromBytes, parseCertificateCode } from '../../domain/certificate-code.js';
import { DomainError, notFound, refuse } from '../../domain/errors.js';
import { statusListEntry, statusListEntryStream } from '../../domain/status-list-entry.js';
import { STATUS_LIST_SIZE, type LedgerCoordinates, type StatusListEntry } from '../../events/certificate.js';
import { decodeEvent, type EventData } from '../../events/registry.js';
import type { CommandContext } from '../shared/command-handler.js';
import type { LedgerDeps } from '../shared/deps.js';
import type { CertificatePdfInput } from './certificate-pdf.js';
import { catalogueEntry } from './certificate-facts.js';
import { authorityOfCertificate } from './named-certificate.js';
import { buildCredential, credentialHeader, credentialJwtPayload, type CredentialInput } from './credential.js';
import { statusListId } from './issuer-identity.js';

/** A fresh certificate code: 80 bits from the CSPRNG, never derived from anything else. */
export const newCertificateCode = (): string => certificateCodeFromBytes(randomBytes(CERTIFICATE_CODE_BYTES));

/** What is issued (the CertificateIssued data, its code drawn by newCertificateCode() and reserved beforehand, so that
 * a retry issues under the same one), and the command id that keys the commands of this issuance across retries. */
export type IssueCertificateInput = EventData<'CertificateIssued'> & { commandId: string };

export interface IssuedCertificate {
  code: string;
  /** The ledger coordinates of the issuance, as the credential and the PDF quote them. */
  issuance: LedgerCoordinates;
  credential: { jws: string; kid: string };
  pdf: { key: string; sha256: string };
}

/** What the PDF needs, for a certificate whose documents are not attached yet. */
export interface PendingDocuments {
  input: IssueCertificateInput;
  pdf: CertificatePdfInput;
}

/** Phase 1: CertificateIssued, and what the PDF will say (unless everything was already done). */
export async function beginIssuance(deps: LedgerDeps, input: IssueCertificateInput): Promise<{ done: IssuedCertificate } | { pending: PendingDocuments }> {
  const code = parseCertificateCode(input.code);
  if (code !== input.code) throw refuse('invalid-certificate-code', `${input.code} is not a certificate code as newCertificateCode() draws them`);
  const entry = await catalogueEntry(deps, input.rncp);
  if (!entry) throw notFound('certification-not-found', `no certification ${input.rncp}`);
  const stream = certificateStream(code);
  const issued = await deps.commands.handle(
    certificate,
    stream,
    {
      type: 'IssueCertificate',
      certificationBlocs: [...entry.version.blocs, ...entry.version.ccs].map((b) => b.code),
      code,
      candidateId: input.candidateId,
      kind: input.kind,
      rncp: input.rncp,
      blocs: input.blocs,
      issuedOn: input.issuedOn,
      ...(input.sessionId ? { sessionId: input.sessionId } : {}),
      ...(input.route ? { route: input.route } : {}),
    },
    issuerContext(deps, input, 'issue'),
  );
  const done = documentsOf(issued.state);
  if (done) return { done: resultOf(done) };
  const first = (await deps.store.read(stream)).commits[0]!;
  const { rncp, title, level, certifier } = entry.version;
  const authority = await publicAuthority(deps, { ...input, version: entry.version });
  return {
    pending: {
      input,
      pdf: {
        publicBaseUrl: deps.publicBaseUrl,
        ...(deps.stage === 'development' ? { stage: deps.stage } : {}),
        code,
        kind: input.kind,
        certification: { rncp, title, level, certifier },
        blocs: input.blocs.map((b) => ({ code: b, title: [...entry.version.blocs, ...entry.version.ccs].find((v) => v.code === b)!.title })),
        issuedOn: input.issuedOn,
        issuance: { stream, version: first.version, hash: first.hash },
        ...(input.route ? { route: input.route } : {}),
        ...(authority ? { authority } : {}),
      },
    },
  };
}

/**
 * The authority the public PDF prints, from the same effective-dated names as the holder's copy. A name the
 * referential does not know (an issue date before its first entry, no region) is left out rather than guessed: the
 * issuance itself must not fail for a line of the PDF.
 */
async function publicAuthority(deps: LedgerDeps, certificate: Parameters<typeof authorityOfCertificate>[1]) {
  try {
    return (await authorityOfCertificate(deps, certificate)).authority;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'issuing-authority-unknown') return undefined;
    throw error;
  }
}

/** Phase 3: the signed credential, and CertificateDocumentsAttached with it and the stored PDF's SHA-256. */
export async function completeIssuance(deps: LedgerDeps, pending: PendingDocuments, pdf: { key: string; sha256: string }): Promise<IssuedCertificate> {
  const { input } = pending;
  const entry = await catalogueEntry(deps, input.rncp);
  if (!entry) throw notFound('certification-not-found', `no certification ${input.rncp}`);
  const { code, issuance } = pending.pdf;
  const stream = certificateStream(code);
  // A retried step after the documents were attached: done, without drawing another status list entry.
  const already = documentsOf(await certificateState(deps, code));
  if (already) return resultOf(already);
  const facts = { ...pending.pdf, certification: entry.version };
  const status = await reserveStatusListEntry(deps, entry.version.certifier, code, input.commandId);
  const subjectId = `urn:uuid:${randomUUID()}`;
  const signed = await signCredential(deps, { ...facts, candidateId: input.candidateId, statusListEntry: status, subjectId });
  const attached = await deps.commands.handle(
    certificate,
    stream,
    { type: 'AttachCertificateDocuments', code, issuance, credential: signed, pdf, statusListEntry: status, subjectId },
    issuerContext(deps, input, 'documents'),
  );
  const documents = documentsOf(attached.state);
  if (!documents) throw new Error(`the documents of ${code} were not attached`);
  return resultOf(documents);
}

/** The certificate's state, read from its stream (to know what a retry finds already done). */
export async function certificateState(deps: Pick<LedgerDeps, 'store'>, code: string): Promise<CertificateState> {
  const { commits } = await deps.store.read(certificateStream(code));
  return commits
    .flatMap((c) => c.events)
    .map((e) => decodeEvent(e) as CertificateEvent)
    .reduce(certificate.evolve, certificate.initialState);
}

/** Signs a credential as its issuer: OB 3.0 JWT claims, `kid` the key's DID URL. */
async function signCredential(deps: LedgerDeps, input: CredentialInput) {
  const credential = buildCredential(input);
  return deps.signer.sign(new TextEncoder().encode(JSON.stringify(credentialJwtPayload(credential, deps.clock.now()))), credentialHeader(credential.issuer.id));
}

/** How many random draws in one list before moving to the next: 32 collisions in a row means it is nearly full. */
const DRAWS_PER_LIST = 32;

/**
 * A free entry of the certifier's revocation status list, drawn at random (never in issuance order, so an index
 * says nothing about when or to whom it was given) and reserved on its own stream.
 */
export async function reserveStatusListEntry(deps: LedgerDeps, certifier: string, code: string, commandId: string): Promise<StatusListEntry> {
  for (let serial = 1; ; serial++) {
    const listId = statusListId(certifier, serial);
    for (let draw = 0; draw < DRAWS_PER_LIST; draw++) {
      const index = randomInt(STATUS_LIST_SIZE);
      try {
        await deps.commands.handle(
          statusListEntry,
          statusListEntryStream(listId, index),
          { type: 'ReserveStatusListEntry', listId, index, code },
          { commandId: `${commandId}:status:${listId}:${index}`, actor: 'system:certificate-issuer', correlationId: commandId, now: deps.clock.now() },
        );
        return { listId, index };
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'status-list-entry-taken')) throw error;
      }
    }
  }
}

/**
 * Signs again the credential of a certificate issued before credentials had a status list entry and a subject
 * id (issue 19), and records it (CertificateCredentialReissued); the certificate, its code and PDF stay. Returns
 * false when there was nothing to do (no documents yet, or the credential has its entry already).
 */
export async function reissueCredential(deps: LedgerDeps, code: string): Promise<boolean> {
  const state = await certificateState(deps, code);
  if (state.status === 'unissued' || !state.documents || state.documents.statusListEntry) return false;
  const { issued, documents } = state;
  const entry = await catalogueEntry(deps, issued.rncp);
  if (!entry) throw notFound('certification-not-found', `no certification ${issued.rncp}`);
  const { rncp, title, level, certifier, millesime } = entry.version as typeof entry.version & { millesime?: string };
  const commandId = `reissue-credential:${code}`;
  const status = await reserveStatusListEntry(deps, certifier, code, commandId);
  const subjectId = `urn:uuid:${randomUUID()}`;
  const all = [...entry.version.blocs, ...entry.version.ccs];
  const signed = await signCredential(deps, {
    publicBaseUrl: deps.publicBaseUrl,
    ...(deps.stage === 'development' ? { stage: deps.stage } : {}),
    code,
    candidateId: issued.candidateId,
    kind: issued.kind,
    certification: { rncp, title, level, certifier, ...(millesime ? { millesime } : {}) },
    blocs: issued.blocs.map((b) => ({ code: b, title: all.find((v) => v.code === b)?.title ?? b })),
    issuedOn: issued.issuedOn,
    issuance: documents.issuance,
    ...(issued.route ? { route: issued.route } : {}),
    statusListEntry: status,
    subjectId,
  });
  const result = await deps.commands.handle(
    certificate,
    certificateStream(code),
    { type: 'ReissueCredential', code, credential: signed, statusListEntry: status, subjectId },
    { commandId, actor: 'system:credential-reissue', correlationId: commandId, now: deps.clock.now() },
  );
  return result.events.length > 0;
}

const issuerContext = (deps: LedgerDeps, input: IssueCertificateInput, step: string): CommandContext => ({
  commandId: `${input.commandId}:${step}`,
  actor: 'system:certificate-issuer',
  correlationId: input.commandId,
  now: deps.clock.now(),
});

const documentsOf = (state: CertificateState) => (state.status === 'unissued' ? undefined : state.documents);

const resultOf = ({ code, issuance, credential, pdf }: EventData<'CertificateDocumentsAttached'>): IssuedCertificate => ({ code, issuance, credential, pdf });

/** One certificate an outcome gives: its kind and blocs, and the issuance key its code is reserved under. */
export interface WantedCertificate {
  kind: IssueCertificateInput['kind'];
  blocs: string[];
  key: string;
}

/**
 * Issues what an outcome gives (a PV's or an équivalence decision's): each code drawn once and reserved on the
 * candidate's stream under the certificate's issuance key before issuing, so a retried step or a redelivered record
 * issues under the same codes, never new ones. The PDFs and the signed credentials follow as their own steps.
 */
export async function issueWantedCertificates(
  deps: LedgerDeps,
  wanted: readonly WantedCertificate[],
  issuance: Omit<IssueCertificateInput, 'code' | 'kind' | 'blocs' | 'commandId'>,
  context: (what: string) => CommandContext,
): Promise<{ issued: string[]; pending: PendingDocuments[] }> {
  const { candidateId, rncp } = issuance;
  const issued: string[] = [];
  const pending: PendingDocuments[] = [];
  for (const w of wanted) {
    const reserved = await deps.commands.handle(
      candidate,
      candidateStream(candidateId),
      { type: 'ReserveCertificateCode', candidateId, issuanceKey: w.key, code: newCertificateCode(), kind: w.kind, rncp, blocs: w.blocs },
      context(`reserve:${w.key}`),
    );
    const code = reserved.state.reservations[w.key]!.code;
    const begun = await beginIssuance(deps, { ...issuance, code, kind: w.kind, blocs: w.blocs, commandId: `certificate:${w.key}:${candidateId}` });
    if ('pending' in begun) pending.push(begun.pending);
    issued.push(code);
  }
  return { issued, pending };
}
