import { notFound } from '../../domain/errors.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import { CSV_CONTENT_TYPE, statisticsCsv } from './statistics-csv.js';
import { readStatistics } from './statistics-report.js';
import { StatisticsAnswerSchema, StatisticsQuerySchema } from './statistics-schemas.js';

export const route = defineRoute({
  summary:
    'Yearly statistics of a certification lineage (a version with its predecessors): enrolled, present, certified, via VAE, CCPs, success and insertion rates (whole %, rounded half up), by route, centre and region; `position` is the ledger position it reflects; `format=csv`: the ministry’s CSV (UTF-8 with BOM, `;`, French headers, a fixed column set: the fiche’s, the counts, each access route and each of the 18 regions)',
  query: StatisticsQuerySchema,
  response: { status: 200, schema: StatisticsAnswerSchema },
  async handle({ query }, deps) {
    const { known, position, rows } = await readStatistics(deps.readModels, query);
    if (!known) throw notFound('certification-not-found', `no certification ${query.rncp}`);
    const answer = { position, rows };
    if (query.format === 'csv') {
      const name = `statistiques${query.rncp ? `-${query.rncp}` : ''}${query.year ? `-${query.year}` : ''}.csv`;
      return {
        status: 200,
        headers: { 'content-type': CSV_CONTENT_TYPE, 'content-disposition': `attachment; filename="${name}"`, 'ledger-position': String(position) },
        body: statisticsCsv(answer),
      };
    }
    return ok(answer);
  },
});

export const handler = lambdaHandler('statistics/get-statistics', route);
