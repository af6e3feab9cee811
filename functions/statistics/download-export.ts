import * as z from '../../events/zod.js';
import { notFound } from '../../domain/errors.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, json, type HttpResponse } from '../shared/route.js';
import { CSV_CONTENT_TYPE } from './statistics-csv.js';
import { ExportId, exportKeyOf } from './statistics-schemas.js';

/** Long enough to start a download, short enough that a URL left in a history or a log soon opens nothing. */
const DOWNLOAD_URL_SECONDS = 300;

export const route = defineRoute({
  summary:
    'Downloads a statistics export by its exportId: on AWS a 303 redirect to a pre-signed URL of the exports bucket (valid 5 minutes), or `{downloadUrl}` when the caller accepts JSON (a page then opens the URL itself, without CORS on the bucket); locally the CSV itself',
  params: z.object({ exportId: ExportId }),
  response: { status: 200, contentType: CSV_CONTENT_TYPE },
  async handle({ params, ctx }, deps): Promise<HttpResponse> {
    const key = exportKeyOf(params.exportId);
    const fileName = `statistiques-${params.exportId}.csv`;
    const stored = await deps.exports.get(key);
    if (!stored) throw notFound('export-not-found', `no export ${params.exportId}`);
    const url = await deps.exports.downloadUrl(key, fileName, DOWNLOAD_URL_SECONDS);
    if (url && /application\/json/.test(ctx.request.headers.accept ?? '')) return json(200, { downloadUrl: url }, { 'cache-control': 'no-store' });
    if (url) return { status: 303, headers: { location: url, 'cache-control': 'no-store' }, body: '' } satisfies HttpResponse;
    return {
      status: 200,
      headers: { 'content-type': stored.contentType, 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' },
      body: stored.body,
    };
  },
});

export const handler = lambdaHandler('statistics/download-export', route);
