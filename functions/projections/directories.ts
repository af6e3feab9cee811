import { partitionOf } from '../ports/read-model-store.js';
import type { DocumentProjection } from './projection.js';

/**
 * The directories people pick from instead of typing ids (issue 16): the centres of a region and the jurors
 * habilitated for a version. Each document is the fold of one stream (a centre's, a juror's) and puts a line in
 * the partition a list reads, so every list is one Query. Only ids and what organisations publish: the persons'
 * names stay in the vault.
 */

const keyAfter = (prefix: string) => (stream: string) => (stream.startsWith(prefix) ? stream.slice(prefix.length) : undefined);

export interface CentreEntry {
  centreId: string;
  name: string;
  region: string;
  agrements: { rncp: string; validFrom: string; validUntil: string }[];
}

/** A centre as a region's list shows it. */
export interface CentreListLine {
  centreId: string;
  name: string;
  region: string;
}

/** The partition of one region's centres (a region's name, as the referential writes it): a DREETS agent's list. */
export const regionCentresPartition = (region: string) => partitionOf('region-centres', region);

/** The partition of every centre of the country: the ministry's list, one Query like the others. */
export const NATIONAL_CENTRES_PARTITION = partitionOf('national-centres', 'france');

/**
 * A centre with its agréments (GET /centres/{centreId}), listed in its region's partition and in the national one
 * (GET /centres): a centre is registered once and rarely renamed, so the second line costs nothing a reader would
 * notice, and every list is one Query.
 */
export const centreDirectory: DocumentProjection<CentreEntry> = {
  model: 'centre-directory',
  keyOf: keyAfter('centre#'),
  index: ({ centreId, name, region }) => {
    const value: CentreListLine = { centreId, name, region };
    return [
      { partition: regionCentresPartition(region), key: centreId, value },
      { partition: NATIONAL_CENTRES_PARTITION, key: centreId, value },
    ];
  },
  evolve(doc, event) {
    switch (event.type) {
      case 'CentreRegistered': {
        const { centreId, name, region } = event.data;
        return { centreId, name, region, agrements: doc?.agrements ?? [] };
      }
      case 'AgrementGranted': {
        if (!doc) return doc;
        const { rncp, validFrom, validUntil } = event.data;
        return { ...doc, agrements: [...doc.agrements.filter((a) => a.rncp !== rncp), { rncp, validFrom, validUntil }] };
      }
      default:
        return doc;
    }
  },
};

export interface JurorEntry {
  jurorId: string;
  independent: boolean;
  region?: string;
  habilitations: { rncp: string; validFrom: string; validUntil: string }[];
}

/** The partition of the jurors habilitated (now or once) for one certification version. */
export const versionJurorsPartition = (rncp: string) => partitionOf('version-jurors', rncp);

/** Jurors by the versions they are habilitated for (GET /jurors?rncp=): a line in each version's partition. */
export const jurorDirectory: DocumentProjection<JurorEntry> = {
  model: 'juror-directory',
  keyOf: keyAfter('juror#'),
  index: (doc) => [...new Set(doc.habilitations.map((h) => h.rncp))].map((rncp) => ({ partition: versionJurorsPartition(rncp), key: doc.jurorId, value: doc })),
  evolve(doc, event) {
    switch (event.type) {
      case 'JurorRegistered': {
        const { jurorId, independent, region } = event.data;
        return { jurorId, independent, ...(region ? { region } : {}), habilitations: doc?.habilitations ?? [] };
      }
      case 'HabilitationGranted': {
        if (!doc) return doc;
        const { rncp, validFrom, validUntil } = event.data;
        return { ...doc, habilitations: [...doc.habilitations.filter((h) => h.rncp !== rncp), { rncp, validFrom, validUntil }] };
      }
      default:
        return doc;
    }
  },
};
