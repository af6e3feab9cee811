import { partitionOf } from '../ports/read-model-store.js';
import type { TitreRoute } from '../../events/candidate.js';
import type { CertificateKind, StatusListEntry } from '../../events/certificate.js';
import type { DocumentProjection } from './projection.js';

export type CertificateStatus = 'valid' | 'suspended' | 'revoked';

export interface StatusChangeEntry {
  status: CertificateStatus;
  /** The date it took effect. */
  on: string;
  /** Where its reason and legal basis are: a note in the holder's vault entry (or the text, in changes stored before). */
  note?: string;
  reason?: string;
  legalBasis?: string;
  /** `<role>:<sub>` of the agent (not shown publicly). */
  by?: string;
}

/** The partition of one revocation status list: one item per revoked certificate whose entry is in it. */
export const statusListPartition = (listId: string) => partitionOf('status-list', listId);
export interface RevokedEntry {
  index: number;
}

export interface CertificateDoc {
  code: string;
  candidateId: string;
  kind: CertificateKind;
  rncp: string;
  blocs: string[];
  issuedOn: string;
  sessionId?: string;
  /** How a titre was obtained, or a bloc by équivalence, as the certificate says it (absent before issue 16's read model). */
  route?: TitreRoute;
  /** The issuance commit; `hash` is known once the documents are attached (they quote it). */
  issuance: { stream: string; version: number; hash?: string };
  credential?: { jws: string; kid: string };
  /** The credential's revocation bit; absent from credentials signed before issue 19 until they are reissued. */
  statusListEntry?: StatusListEntry;
  pdf?: { key: string; sha256: string };
  status: CertificateStatus;
  /** Issuance first, then every change: the status on any date is the last entry on or before it. */
  history: StatusChangeEntry[];
}

/**
 * A certificate as verification reads it, one document per certificate stream: everything /verify needs about
 * the certificate in one read (the credential too, for GET …/credential).
 */
export const certificateStatus: DocumentProjection<CertificateDoc> = {
  model: 'certificate',
  keyOf: (stream) => (stream.startsWith('certificate#') ? stream.slice('certificate#'.length) : undefined),
  // A revoked certificate's bit, in its status list's partition: a list is built from one Query, whatever the ledger's size.
  index: (doc) =>
    doc.status === 'revoked' && doc.statusListEntry
      ? [{ partition: statusListPartition(doc.statusListEntry.listId), key: doc.code, value: { index: doc.statusListEntry.index } satisfies RevokedEntry }]
      : [],
  evolve(doc, event) {
    if (event.type === 'CertificateIssued') {
      const { code, candidateId, kind, rncp, blocs, issuedOn, sessionId, route } = event.data;
      return {
        code,
        candidateId,
        kind,
        rncp,
        blocs,
        issuedOn,
        ...(sessionId ? { sessionId } : {}),
        ...(route ? { route } : {}),
        issuance: { stream: event.stream, version: event.version },
        status: 'valid',
        history: [{ status: 'valid', on: issuedOn }],
      };
    }
    if (!doc) return doc;
    const change = (
      status: CertificateStatus,
      { note, reason, legalBasis, by, on }: { note?: string; reason?: string; legalBasis?: string; by: string; on: string },
    ): CertificateDoc => ({
      ...doc,
      status,
      history: [...doc.history, { status, on, ...(note ? { note } : {}), ...(reason ? { reason } : {}), ...(legalBasis ? { legalBasis } : {}), by }],
    });
    switch (event.type) {
      case 'CertificateDocumentsAttached':
        return {
          ...doc,
          issuance: event.data.issuance,
          credential: event.data.credential,
          pdf: event.data.pdf,
          ...(event.data.statusListEntry ? { statusListEntry: event.data.statusListEntry } : {}),
        };
      case 'CertificateCredentialReissued':
        return { ...doc, credential: event.data.credential, statusListEntry: event.data.statusListEntry };
      case 'CertificateSuspended':
        return change('suspended', event.data);
      case 'CertificateReinstated':
        return change('valid', event.data);
      case 'CertificateRevoked':
        return change('revoked', event.data);
      default:
        return doc;
    }
  },
};

/** The status on a date (the last change on or before it), or undefined before the issuance. */
export function statusOn(doc: CertificateDoc, date: string): { status: CertificateStatus; history: StatusChangeEntry[] } | undefined {
  const history = doc.history.filter((h) => h.on <= date);
  const last = history.at(-1);
  return last && { status: last.status, history };
}
