import { randomBytes } from 'node:crypto';
import { certificate, certificateStream, type CertificateState } from '../../domain/certificate.js';
import { CERTIFICATE_CODE_BYTES, certificateCodeFromBytes, parseCertificateCode } from '../../domain/certificate-code.js';
import { notFound, refuse } from '../../domain/errors.js';
import type { LedgerCoordinates } from '../../events/certificate.js';
import type { EventData } from '../../events/registry.js';
import type { CommandContext } from '../shared/command-handler.js';
import type { LedgerDeps } from '../shared/deps.js';
import type { CertificatePdfInput } from './certificate-pdf.js';
import { catalogueEntry } from './certificate-facts.js';
import { buildCredential } from './credential.js';

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
  return {
    pending: {
      input,
      pdf: {
        publicBaseUrl: deps.publicBaseUrl,
        code,
        kind: input.kind,
        certification: { rncp, title, level, certifier },
        blocs: input.blocs.map((b) => ({ code: b, title: [...entry.version.blocs, ...entry.version.ccs].find((v) => v.code === b)!.title })),
        issuedOn: input.issuedOn,
        issuance: { stream, version: first.version, hash: first.hash },
        ...(input.route ? { route: input.route } : {}),
      },
    },
  };
}

/** Phase 3: the signed credential, and CertificateDocumentsAttached with it and the stored PDF's SHA-256. */
export async function completeIssuance(deps: LedgerDeps, pending: PendingDocuments, pdf: { key: string; sha256: string }): Promise<IssuedCertificate> {
  const { input } = pending;
  const entry = await catalogueEntry(deps, input.rncp);
  if (!entry) throw notFound('certification-not-found', `no certification ${input.rncp}`);
  const { code, issuance } = pending.pdf;
  const facts = { ...pending.pdf, certification: entry.version };
  const credential = buildCredential({ ...facts, candidateId: input.candidateId });
  const signed = await deps.signer.sign(new TextEncoder().encode(JSON.stringify(credential)), { typ: 'vc+jwt', cty: 'vc' });
  const attached = await deps.commands.handle(
    certificate,
    certificateStream(code),
    { type: 'AttachCertificateDocuments', code, issuance, credential: signed, pdf },
    issuerContext(deps, input, 'documents'),
  );
  const documents = documentsOf(attached.state);
  if (!documents) throw new Error(`the documents of ${code} were not attached`);
  return resultOf(documents);
}

const issuerContext = (deps: LedgerDeps, input: IssueCertificateInput, step: string): CommandContext => ({
  commandId: `${input.commandId}:${step}`,
  actor: 'system:certificate-issuer',
  correlationId: input.commandId,
  now: deps.clock.now(),
});

const documentsOf = (state: CertificateState) => (state.status === 'unissued' ? undefined : state.documents);

const resultOf = ({ code, issuance, credential, pdf }: EventData<'CertificateDocumentsAttached'>): IssuedCertificate => ({ code, issuance, credential, pdf });
