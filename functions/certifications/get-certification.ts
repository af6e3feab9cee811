import { notFound } from '../../domain/errors.js';
import { lambdaHandler } from '../shared/lambda.js';
import { certificationCatalogue, type CatalogueEntry } from '../projections/certification-catalogue.js';
import { defineRoute, ok } from '../shared/route.js';
import { CertificationDetail, detailOf, RncpParams } from './certification-view.js';
import { readDoc } from '../projections/projection.js';

export const route = defineRoute({
  summary: 'One certification version: blocs, competences, access routes, jury rules, regime, lineage',
  params: RncpParams,
  response: { status: 200, schema: CertificationDetail },
  async handle({ params }, deps) {
    const found = await readDoc<CatalogueEntry>(deps.readModels, certificationCatalogue, params.rncp);
    if (!found) throw notFound('certification-not-found', `no certification ${params.rncp}`);
    return ok(detailOf(found.doc));
  },
});

export const handler = lambdaHandler('certifications/get-certification', route);
