import { certificationCatalogue } from './certification-catalogue.js';
import type { DocumentProjection } from './projection.js';

/** Every read model fed by the change feed, locally and by the projector Lambda in AWS. */
export const projections: readonly DocumentProjection<any>[] = [certificationCatalogue];
