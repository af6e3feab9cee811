import { lambdaHandler } from '../shared/lambda.js';
import * as z from '../../events/zod.js';
import { CATALOGUE_PARTITION, type CatalogueEntry } from '../projections/certification-catalogue.js';
import { defineRoute, ok } from '../shared/route.js';
import { CertificationSummary, summaryOf } from './certification-view.js';

export const route = defineRoute({
  summary: 'The certifications of the referential',
  response: { status: 200, schema: z.array(CertificationSummary) },
  async handle(_, deps) {
    const docs = await deps.readModels.query<CatalogueEntry>(CATALOGUE_PARTITION);
    return ok(docs.map((d) => summaryOf(d.doc)));
  },
});

export const handler = lambdaHandler('certifications/list-certifications', route);
