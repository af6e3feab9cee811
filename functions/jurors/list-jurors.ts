import * as z from '../../events/zod.js';
import { RncpCode } from '../../events/define-event.js';
import { versionJurorsPartition, type JurorEntry } from '../projections/directories.js';
import { lambdaHandler } from '../shared/lambda.js';
import { jurorNames } from '../shared/person-names.js';
import { defineRoute, ok } from '../shared/route.js';

export const JurorLine = z.object({
  jurorId: z.string(),
  name: z.nullable(z.string()),
  independent: z.boolean(),
  habilitations: z.array(z.object({ rncp: z.string(), validFrom: z.string(), validUntil: z.string() })),
});

export const route = defineRoute({
  summary: 'The jurors habilitated for a certification version, by name, with their habilitations’ windows: what a centre constitutes a jury from, and the DREETS',
  query: z.object({ rncp: RncpCode }),
  response: { status: 200, schema: z.array(JurorLine) },
  async handle({ query }, deps) {
    const entries = (await deps.readModels.query<JurorEntry | null>(versionJurorsPartition(query.rncp))).flatMap((d) => (d.doc ? [d.doc] : []));
    const names = await jurorNames(
      deps,
      entries.map((e) => e.jurorId),
    );
    const lines = entries.map(({ jurorId, independent, habilitations }) => ({ jurorId, name: names.get(jurorId) ?? null, independent, habilitations }));
    return ok(lines.sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff', 'fr') || a.jurorId.localeCompare(b.jurorId)));
  },
});

export const handler = lambdaHandler('jurors/list-jurors', route);
