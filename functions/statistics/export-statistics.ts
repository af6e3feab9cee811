import { notFound } from '../../domain/errors.js';
import * as z from '../../events/zod.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { CSV_CONTENT_TYPE, statisticsCsv } from './statistics-csv.js';
import { readStatistics } from './statistics-report.js';
import { ExportId, exportIdOf, exportKeyOf, ExportRequest } from './statistics-schemas.js';

export const route = defineRoute({
  summary:
    'Writes the statistics of a year (every lineage, or the one of `rncp`) as the ministry’s CSV to the exports bucket; answers its exportId (GET /statistics/exports/{exportId} downloads it) and key',
  body: ExportRequest,
  response: { status: 201, schema: z.object({ exportId: ExportId, key: z.string(), position: z.number().check(z.int()), rows: z.number().check(z.int()), sha256: z.string() }) },
  async handle({ body }, deps) {
    const { known, position, rows } = await readStatistics(deps.readModels, body);
    if (!known) throw notFound('certification-not-found', `no certification ${body.rncp}`);
    // One object per year, lineage filter and ledger position: the same export is the same id.
    const exportId = exportIdOf(body.year, position, body.rncp);
    const stored = await deps.exports.put(exportKeyOf(exportId), statisticsCsv({ position, rows }), CSV_CONTENT_TYPE);
    return created({ exportId, key: stored.key, position, rows: rows.length, sha256: stored.sha256 });
  },
});

export const handler = lambdaHandler('statistics/export-statistics', route);
