import type { CertificationVersion, Correspondence } from '../../events/certification.js';
import type { DocumentProjection } from './projection.js';

export interface CatalogueEntry {
  /** The version as in effect: its validUntil moved by prorogations, or brought forward by a closure. */
  version: CertificationVersion;
  closure?: { closedOn: string; graceUntil: string };
  prorogations?: { previousValidUntil: string; validUntil: string; decidedOn: string }[];
  successor?: string;
  revision?: { successor: string; effectiveOn: string; correspondences: Correspondence[] };
}

/** The one partition of the catalogue: a few dozen versions, read whole by GET /certifications and the livret. */
export const CATALOGUE_PARTITION = 'certification#catalogue';

/** The referential as read by everyone: one document per certification version, all in one small partition. */
export const certificationCatalogue: DocumentProjection<CatalogueEntry> = {
  model: 'certification',
  keyOf: (stream) => (stream.startsWith('certification#') ? stream.slice('certification#'.length) : undefined),
  at: (rncp) => [CATALOGUE_PARTITION, rncp],
  evolve(doc, event) {
    switch (event.type) {
      case 'CertificationVersionRegistered':
        return { version: event.data };
      case 'CertificationVersionRevised':
        if (!doc) return doc;
        return {
          ...doc,
          successor: event.data.successor,
          revision: { successor: event.data.successor, effectiveOn: event.data.effectiveOn, correspondences: event.data.correspondences },
        };
      case 'CertificationVersionAmended':
        if (!doc) return doc;
        // The dates in effect stay those of prorogations and closure.
        return { ...doc, version: { ...event.data.version, validUntil: doc.version.validUntil } };
      case 'CertificationVersionClosed':
        if (!doc) return doc;
        return { ...doc, version: { ...doc.version, validUntil: event.data.closedOn }, closure: { closedOn: event.data.closedOn, graceUntil: event.data.graceUntil } };
      case 'CertificationVersionProrogued': {
        if (!doc) return doc;
        const { previousValidUntil, validUntil, decidedOn } = event.data;
        return { ...doc, version: { ...doc.version, validUntil }, prorogations: [...(doc.prorogations ?? []), { previousValidUntil, validUntil, decidedOn }] };
      }
      default:
        return doc;
    }
  },
};
