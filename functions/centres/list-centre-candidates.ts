import { z } from 'zod';
import { forbidden } from '../../domain/errors.js';
import { Id } from '../../events/define-event.js';
import { centreCandidates, type CentreCandidateEntry } from '../projections/directories.js';
import { readPartition } from '../projections/projection.js';
import { lambdaHandler } from '../shared/lambda.js';
import { candidateNames } from '../shared/person-names.js';
import { defineRoute, ok } from '../shared/route.js';

export const CentreCandidateLine = z.object({
  candidateId: z.string(),
  familyName: z.string().nullable().describe('null once the person’s data were erased'),
  givenNames: z.string().nullable(),
});

export const route = defineRoute({
  summary: "The candidates a centre registered, by name (decrypted for this request; each read goes to the candidate's access log): for the centre itself",
  params: z.object({ centreId: Id }),
  response: { status: 200, schema: z.array(CentreCandidateLine) },
  async handle({ params, ctx }, deps) {
    if (ctx.caller!.ledgerId !== params.centreId) throw forbidden('not-your-centre', 'a centre sees its own candidates only');
    const entries = await readPartition<CentreCandidateEntry>(deps.readModels, centreCandidates, params.centreId);
    const names = await candidateNames(
      deps,
      ctx,
      entries.filter((e) => !e.erased).map((e) => e.candidateId),
      'centre-candidates',
    );
    const lines = entries.map((e) => ({
      candidateId: e.candidateId,
      familyName: names.get(e.candidateId)?.familyName ?? null,
      givenNames: names.get(e.candidateId)?.givenNames ?? null,
    }));
    return ok(lines.sort((a, b) => (a.familyName ?? '\uffff').localeCompare(b.familyName ?? '\uffff', 'fr') || (a.givenNames ?? '').localeCompare(b.givenNames ?? '', 'fr')));
  },
});

export const handler = lambdaHandler('centres/list-centre-candidates', route);
