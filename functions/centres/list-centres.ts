import * as z from '../../events/zod.js';
import { forbidden } from '../../domain/errors.js';
import { NATIONAL_CENTRES_PARTITION, regionCentresPartition, type CentreListLine as Line } from '../projections/directories.js';
import { lambdaHandler } from '../shared/lambda.js';
import { Region } from '../shared/region.js';
import { defineRoute, ok } from '../shared/route.js';

export const CentreListLine = z.object({ centreId: z.string(), name: z.string(), region: z.string() });

export const route = defineRoute({
  summary: 'The centres of a region, by name: a DREETS agent sees its own region; the ministry one region (`region`) or all 18 (one partition per region, never the whole model)',
  query: z.object({ region: z.optional(Region) }),
  response: { status: 200, schema: z.array(CentreListLine) },
  async handle({ query, ctx }, deps) {
    const { roles, region: own } = ctx.caller!;
    let partition: string;
    if (roles.includes('dreets')) {
      if (!own) throw forbidden('outside-territory', 'this DREETS account has no region (custom:region)');
      if (query.region && query.region !== own) throw forbidden('outside-territory', `this agent acts for ${own}, not ${query.region}`);
      partition = regionCentresPartition(own);
    } else partition = query.region ? regionCentresPartition(query.region) : NATIONAL_CENTRES_PARTITION;
    const found = await deps.readModels.query<Line | null>(partition);
    const lines = found.flatMap((d) => (d.doc ? [{ centreId: d.doc.centreId, name: d.doc.name, region: d.doc.region }] : []));
    return ok(lines.sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.centreId.localeCompare(b.centreId)));
  },
});

export const handler = lambdaHandler('centres/list-centres', route);
