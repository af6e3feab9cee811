import type { CertificationVersion, Correspondence } from '../../events/certification.js';
import type { DocumentProjection } from './projection.js';

export interface CatalogueEntry {
  version: CertificationVersion;
  successor?: string;
  revision?: { successor: string; effectiveOn: string; correspondences: Correspondence[] };
}

/** The referential as read by everyone: one document per certification version. */
export const certificationCatalogue: DocumentProjection<CatalogueEntry> = {
  model: 'certification',
  keyOf: (stream) => (stream.startsWith('certification#') ? stream.slice('certification#'.length) : undefined),
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
      default:
        return doc;
    }
  },
};
