import * as z from '../../events/zod.js';
import { forbidden } from '../../domain/errors.js';
import { Id } from '../../events/define-event.js';
import { centreCandidatesPartition, type CentreCandidateLine as Line } from '../projections/centre-candidates.js';
import { lambdaHandler } from '../shared/lambda.js';
import { candidateNames } from '../shared/person-names.js';
import { defineRoute, ok } from '../shared/route.js';

export const CentreCandidateLine = z.object({
  candidateId: z.string(),
  familyName: z.nullable(z.string()).check(z.describe('null once the person’s data were erased')),
  givenNames: z.nullable(z.string()),
});

export const route = defineRoute({
  summary: "The candidates a centre registered, by name (decrypted for this request; each read goes to the candidate's access log): for the centre itself",
  params: z.object({ centreId: Id }),
  response: { status: 200, schema: z.array(CentreCandidateLine) },
  async handle({ params, ctx }, deps) {
    if (ctx.caller!.ledgerId !== params.centreId) throw forbidden('not-your-centre', 'a centre sees its own candidates only');
    const ids = (await deps.readModels.query<Line | null>(centreCandidatesPartition(params.centreId))).flatMap((d) => (d.doc ? [d.doc.candidateId] : []));
    // An erased person's name is gone from the vault: listed without a name, and no read is logged.
    const names = await candidateNames(deps, ctx, ids, 'centre-candidates');
    const lines = ids.map((candidateId) => ({
      candidateId,
      familyName: names.get(candidateId)?.familyName ?? null,
      givenNames: names.get(candidateId)?.givenNames ?? null,
    }));
    return ok(lines.sort((a, b) => (a.familyName ?? '\uffff').localeCompare(b.familyName ?? '\uffff', 'fr') || (a.givenNames ?? '').localeCompare(b.givenNames ?? '', 'fr')));
  },
});

export const handler = lambdaHandler('centres/list-centre-candidates', route);
