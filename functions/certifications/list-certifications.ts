import { lambdaHandler } from '../shared/lambda.js';
import { z } from 'zod';
import { certificationCatalogue, type CatalogueEntry } from '../projections/certification-catalogue.js';
import { defineRoute, ok } from '../shared/route.js';
import { CertificationSummary, summaryOf } from './certification-view.js';

export const route = defineRoute({
  summary: 'The certifications of the referential',
  response: { status: 200, schema: z.array(CertificationSummary) },
  async handle(_, deps) {
    const docs = await deps.readModels.list<CatalogueEntry>(certificationCatalogue.model);
    return ok(docs.map((d) => summaryOf(d.doc)));
  },
});

export const handler = lambdaHandler('certifications/list-certifications', route);
