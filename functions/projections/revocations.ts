import type { DocumentProjection } from './projection.js';

export interface RevocationDoc {
  code: string;
  /** The date the revocation took effect. */
  on: string;
}

/**
 * The revoked certificates, one document each (whether revoked by a DREETS agent or by the compensation of an
 * annulled decision, which revokes too): the status lists are built from these. Revocations are few, so a
 * status list reads them all rather than one document per certificate ever issued.
 */
export const revocations: DocumentProjection<RevocationDoc> = {
  model: 'revocation',
  keyOf: (stream) => (stream.startsWith('certificate#') ? stream.slice('certificate#'.length) : undefined),
  evolve(doc, event) {
    if (event.type === 'CertificateRevoked') return { code: event.data.code, on: event.data.on };
    return doc;
  },
};
