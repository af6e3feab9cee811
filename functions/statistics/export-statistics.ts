import { notFound } from '../../domain/errors.js';
import * as z from '../../events/zod.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { readStatistics, statisticsCsv } from './statistics-report.js';
import { ExportRequest } from './statistics-schemas.js';

/** Where an export goes: one object per year, lineage filter and ledger position, so the same export is the same key. */
export const exportKey = (year: number, position: number, rncp?: string) => `statistics/${year}/statistics-${year}${rncp ? `-${rncp}` : ''}-position-${position}.csv`;

export const route = defineRoute({
  summary: 'Writes the statistics of a year (every lineage, or the one of `rncp`) as CSV to the exports bucket; answers its key',
  body: ExportRequest,
  response: { status: 201, schema: z.object({ key: z.string(), position: z.number().check(z.int()), rows: z.number().check(z.int()), sha256: z.string() }) },
  async handle({ body }, deps) {
    const { known, position, rows } = await readStatistics(deps.readModels, body);
    if (!known) throw notFound('certification-not-found', `no certification ${body.rncp}`);
    const stored = await deps.exports.put(exportKey(body.year, position, body.rncp), statisticsCsv({ position, rows }), 'text/csv; charset=utf-8');
    return created({ key: stored.key, position, rows: rows.length, sha256: stored.sha256 });
  },
});

export const handler = lambdaHandler('statistics/export-statistics', route);
