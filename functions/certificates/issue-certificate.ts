import { randomBytes } from 'node:crypto';
import { certificate, certificateStream, type CertificateState } from '../../domain/certificate.js';
import { CERTIFICATE_CODE_BYTES, certificateCodeFromBytes, parseCertificateCode } from '../../domain/certificate-code.js';
import { notFound, refuse } from '../../domain/errors.js';
import type { CertificateKind, LedgerCoordinates } from '../../events/certificate.js';
import type { EventData } from '../../events/registry.js';
import type { CommandContext } from '../shared/command-handler.js';
import type { LedgerDeps } from '../shared/deps.js';
import { renderCertificatePdf } from './certificate-pdf.js';
import { catalogueEntry, requirePort } from './certificate-facts.js';
import { buildCredential } from './credential.js';

/** A fresh certificate code: 80 bits from the CSPRNG, never derived from anything else. */
export const newCertificateCode = (): string => certificateCodeFromBytes(randomBytes(CERTIFICATE_CODE_BYTES));

export interface IssueCertificateInput {
  /** A code drawn by newCertificateCode() and reserved beforehand, so that a retry issues under the same one. */
  code: string;
  candidateId: string;
  kind: CertificateKind;
  rncp: string;
  blocs: string[];
  issuedOn: string;
  sessionId?: string;
  /** Stable across retries of this issuance: the commands it appends are keyed by it. */
  commandId: string;
}

export interface IssuedCertificate {
  code: string;
  /** The ledger coordinates of the issuance, as the credential and the PDF quote them. */
  issuance: LedgerCoordinates;
  credential: { jws: string; kid: string };
  pdf: { key: string; sha256: string };
}

export const certificatePdfKey = (code: string) => `certificates/${code}.pdf`;

/**
 * Issues a certificate: appends CertificateIssued, then builds the credential and the PDF (both quote that
 * commit's coordinates), signs the credential, stores the PDF, and appends CertificateDocumentsAttached with
 * the JWS and the PDF's SHA-256. Idempotent: a retry with the same code appends nothing that is already there,
 * finishes what a crash left undone, and returns the same result.
 */
export async function issueCertificate(deps: LedgerDeps, input: IssueCertificateInput): Promise<IssuedCertificate> {
  const code = parseCertificateCode(input.code);
  if (code !== input.code) throw refuse('invalid-certificate-code', `${input.code} is not a certificate code as newCertificateCode() draws them`);
  const entry = await catalogueEntry(deps, input.rncp);
  if (!entry) throw notFound('certification-not-found', `no certification ${input.rncp}`);
  const stream = certificateStream(code);
  const ctx = (step: string): CommandContext => ({ commandId: `${input.commandId}:${step}`, actor: 'system:certificate-issuer', correlationId: input.commandId, now: deps.clock.now() });

  const issued = await deps.commands.handle(
    certificate,
    stream,
    {
      type: 'IssueCertificate',
      certificationBlocs: entry.version.blocs.map((b) => b.code),
      code,
      candidateId: input.candidateId,
      kind: input.kind,
      rncp: input.rncp,
      blocs: input.blocs,
      issuedOn: input.issuedOn,
      ...(input.sessionId ? { sessionId: input.sessionId } : {}),
    },
    ctx('issue'),
  );
  const done = documentsOf(issued.state);
  if (done) return resultOf(done);

  const first = (await deps.store.read(stream)).commits[0]!;
  const issuance = { stream, version: first.version, hash: first.hash };
  const blocs = input.blocs.map((b) => ({ code: b, title: entry.version.blocs.find((v) => v.code === b)!.title }));
  const publicBaseUrl = requirePort(deps.publicBaseUrl, 'PUBLIC_BASE_URL');
  const facts = { publicBaseUrl, code, kind: input.kind, certification: entry.version, blocs, issuedOn: input.issuedOn, issuance };

  const credential = buildCredential({ ...facts, candidateId: input.candidateId });
  const signed = await requirePort(deps.signer, 'signer').sign(new TextEncoder().encode(JSON.stringify(credential)), { typ: 'vc+jwt', cty: 'vc' });
  const pdf = await deps.documents.put(certificatePdfKey(code), await renderCertificatePdf(facts), 'application/pdf');

  const attached = await deps.commands.handle(certificate, stream, { type: 'AttachCertificateDocuments', code, issuance, credential: signed, pdf }, ctx('documents'));
  const documents = documentsOf(attached.state);
  if (!documents) throw new Error(`the documents of ${code} were not attached`);
  return resultOf(documents);
}

const documentsOf = (state: CertificateState) => (state.status === 'unissued' ? undefined : state.documents);

const resultOf = ({ code, issuance, credential, pdf }: EventData<'CertificateDocumentsAttached'>): IssuedCertificate => ({ code, issuance, credential, pdf });
