import type { DocumentProjection } from './projection.js';

export interface RevocationDoc {
  code: string;
  /** The date the revocation took effect. */
  on: string;
}

/**
 * The revoked certificates, one document each (whether revoked by a DREETS agent or by the compensation of an
 * annulled decision, which revokes too): the status lists are built from these, reading the certificate of each
 * for its entry. The projector keeps a checkpoint per certificate stream (a null document until a revocation),
 * so a list reads one small item per certificate: a per-list document needs a projection fed by many streams.
 */
export const revocations: DocumentProjection<RevocationDoc> = {
  model: 'revocation',
  keyOf: (stream) => (stream.startsWith('certificate#') ? stream.slice('certificate#'.length) : undefined),
  evolve(doc, event) {
    if (event.type === 'CertificateRevoked') return { code: event.data.code, on: event.data.on };
    return doc;
  },
};
