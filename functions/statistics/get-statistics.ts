import { notFound } from '../../domain/errors.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import { readStatistics, statisticsCsv } from './statistics-report.js';
import { StatisticsAnswerSchema, StatisticsQuerySchema } from './statistics-schemas.js';

export const route = defineRoute({
  summary:
    'Yearly statistics of a certification lineage (a version with its predecessors): enrolled, present, certified, via VAE, CCPs, success and insertion rates (whole %, rounded half up), by route, centre and region; `position` is the ledger position it reflects; `format=csv` gives the same rows as CSV, the RNCP fiche’s columns first',
  query: StatisticsQuerySchema,
  response: { status: 200, schema: StatisticsAnswerSchema },
  async handle({ query }, deps) {
    const { known, position, rows } = await readStatistics(deps.readModels, query);
    if (!known) throw notFound('certification-not-found', `no certification ${query.rncp}`);
    const answer = { position, rows };
    if (query.format === 'csv') {
      return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'ledger-position': String(position) }, body: statisticsCsv(answer) };
    }
    return ok(answer);
  },
});

export const handler = lambdaHandler('statistics/get-statistics', route);
