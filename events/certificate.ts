import * as z from './zod.js';
import { TitreRoute } from './candidate.js';
import { BlocCode, defineEvent, Id, IsoDate, NoteRef, RncpCode } from './define-event.js';

/** A certificate code as printed (domain/certificate-code.ts makes and reads them): four groups, the last with the check symbol. */
export const CERTIFICATE_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}[0-9A-HJKMNP-TV-Z*~$=U]$/;
export const CertificateCode = z.string().check(z.regex(CERTIFICATE_CODE_PATTERN, 'a certificate code such as 7KQ2-M9XD-4HTB-P3WXK'));
const CertificateKindV1 = z.enum(['titre', 'ccp']);
export const CertificateKind = z.enum(['titre', 'ccp', 'ccs']);
export type CertificateKind = z.infer<typeof CertificateKind>;

/** Where a commit sits in the ledger: what a PDF, a credential and a verification quote. */
export const LedgerCoordinates = z.object({
  stream: z.string().check(z.minLength(1)),
  version: z.number().check(z.int(), z.positive()),
  hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type LedgerCoordinates = z.infer<typeof LedgerCoordinates>;

/**
 * A certificate was issued under a random code (stream `certificate#<code>`). Its ledger coordinates are those
 * of the commit holding this event: the signed credential and the PDF quote them, so they are made after this
 * commit and recorded by CertificateDocumentsAttached.
 */
const CertificateIssuedV1 = z.object({
  code: CertificateCode,
  candidateId: Id,
  kind: CertificateKindV1,
  rncp: RncpCode,
  blocs: z.array(BlocCode).check(z.minLength(1)),
  issuedOn: IsoDate,
  sessionId: z.optional(Id),
});
export const CertificateIssued = defineEvent(
  'CertificateIssued',
  // A titre's certificate says how it was obtained (capitalisation, équivalence, VAE, session titre).
  { 1: CertificateIssuedV1, latest: z.extend(CertificateIssuedV1, { kind: CertificateKind, route: z.optional(TitreRoute) }) },
  { 1: (d: z.infer<typeof CertificateIssuedV1>) => d },
);

/**
 * The bits a status list has: W3C Bitstring Status List's minimum (16 KB), so that fetching a list tells nobody
 * whose status was looked up.
 */
export const STATUS_LIST_SIZE = 131_072;
/** A status list: the certifier's slug and a serial (`ministere-du-travail-1`). */
export const StatusListId = z.string().check(z.maxLength(120), z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a status list id such as ministere-du-travail-1'));
/** A credential's place in a revocation status list (W3C BitstringStatusListEntry), drawn at random. */
export const StatusListEntry = z.object({
  listId: StatusListId,
  index: z.number().check(z.int(), z.gte(0), z.lte(STATUS_LIST_SIZE - 1)),
});
export type StatusListEntry = z.infer<typeof StatusListEntry>;
/** The credential's subject: a random `urn:uuid` per certificate, which says nothing about the person. */
export const CredentialSubjectId = z.string().check(z.regex(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/));
const SignedCredential = z.object({ jws: z.string().check(z.minLength(1)), kid: z.string().check(z.minLength(1)) });

/**
 * The signed credential and the PDF of an issued certificate, each quoting the issuance's coordinates. Since
 * issue 19 the credential also has its revocation status list entry and its subject id (absent from credentials
 * signed before: those are reissued, CertificateCredentialReissued).
 */
export const CertificateDocumentsAttached = defineEvent('CertificateDocumentsAttached', {
  latest: z.object({
    code: CertificateCode,
    issuance: LedgerCoordinates,
    /** Compact JWS (ES256) of the credential, and the id of the key that signed it. */
    credential: SignedCredential,
    /** The PDF in the documents bucket, and the SHA-256 of its bytes. */
    pdf: z.object({ key: z.string().check(z.minLength(1)), sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)) }),
    statusListEntry: z.optional(StatusListEntry),
    subjectId: z.optional(CredentialSubjectId),
  }),
});

/**
 * The credential signed again, replacing the one served: a credential signed before it had a status list entry
 * (issue 19), so that standard verifiers can see its revocation. The certificate, its code and its PDF stay.
 */
export const CertificateCredentialReissued = defineEvent('CertificateCredentialReissued', {
  latest: z.object({ code: CertificateCode, credential: SignedCredential, statusListEntry: StatusListEntry, subjectId: CredentialSubjectId }),
});

/**
 * A status list entry given to a certificate (stream `status-list-entry#<listId>#<index>`): one stream per entry,
 * so two certificates that draw the same index collide on the append and the second draws again.
 */
export const StatusListEntryReserved = defineEvent('StatusListEntryReserved', {
  latest: z.extend(StatusListEntry, { code: CertificateCode }),
});

const StatusChangeV1 = z.object({
  code: CertificateCode,
  reason: z.string().check(z.minLength(1), z.maxLength(1000)),
  legalBasis: z.string().check(z.minLength(1), z.maxLength(500)),
  /** `<role>:<sub>` of the agent who decided. */
  by: z.string().check(z.minLength(1)),
  /** The date the change takes effect (the ledger's date when it was decided). */
  on: IsoDate,
});
/**
 * The reason and legal basis an agent types may name the holder: since v2 they are a note in the holder's vault
 * entry (`note`), erased with them; absent when the holder's data were already erased when it was decided. Events
 * stored at v1 still carry them in plain text.
 */
const StatusChange = z.object({
  code: CertificateCode,
  note: z.optional(NoteRef),
  by: z.string().check(z.minLength(1)),
  on: IsoDate,
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(1000))),
  legalBasis: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
});
const fromV1 = { 1: (d: z.infer<typeof StatusChangeV1>) => d };

export const CertificateSuspended = defineEvent('CertificateSuspended', { 1: StatusChangeV1, latest: StatusChange }, fromV1);
export const CertificateReinstated = defineEvent('CertificateReinstated', { 1: StatusChangeV1, latest: StatusChange }, fromV1);
export const CertificateRevoked = defineEvent('CertificateRevoked', { 1: StatusChangeV1, latest: StatusChange }, fromV1);
