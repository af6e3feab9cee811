import * as z from '../../events/zod.js';
import { forbidden } from '../../domain/errors.js';
import { Id } from '../../events/define-event.js';
import { AccessRecord } from '../ports/access-log.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import { readDoc } from '../projections/projection.js';
import { centreFacts, type CentreFacts } from '../projections/statistics-facts.js';

export const AccessLogLine = z.extend(z.pick(AccessRecord, { at: true, purpose: true }), {
  reader: z
    .object({ role: z.string(), id: z.string(), name: z.optional(z.string()) })
    .check(z.describe('who read: the role and the ledger id it acted for; a centre’s name (an organisation, no personal data)')),
});

export const route = defineRoute({
  summary: 'Who read the candidate’s personal data (their name), when and why, oldest first: for the candidate themself',
  params: z.object({ candidateId: Id }),
  response: { status: 200, schema: z.array(AccessLogLine) },
  async handle({ params, ctx }, deps) {
    if (ctx.caller!.ledgerId !== params.candidateId) throw forbidden('not-your-candidate', 'a candidate sees their own access log only');
    const records = await deps.accessLog.list(params.candidateId);
    const lines = records.map(({ at, purpose, reader }) => {
      const [role = '', ...id] = reader.split(':');
      return { at, purpose, reader: { role, id: id.join(':') } };
    });
    // A person reads who read them by name where it is an organisation's: their centre (a juror's or an agent's
    // name is personal data of theirs; the page says which kind of reader it was).
    const centreIds = [...new Set(lines.filter((l) => l.reader.role === 'centre').map((l) => l.reader.id))];
    const names = new Map<string, string>();
    for (const centreId of centreIds) {
      const centre = await readDoc<CentreFacts>(deps.readModels, centreFacts, centreId);
      if (centre) names.set(centreId, centre.doc.name);
    }
    return ok(
      lines.map((l) => {
        const name = l.reader.role === 'centre' ? names.get(l.reader.id) : undefined;
        return name ? { ...l, reader: { ...l.reader, name } } : l;
      }),
    );
  },
});

export const handler = lambdaHandler('candidates/get-access-log', route);
