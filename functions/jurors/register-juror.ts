import * as z from '../../events/zod.js';
import { juror, jurorStream } from '../../domain/juror.js';
import { PersonName } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';

export const route = defineRoute({
  summary: 'Register a juror; the name goes to the person vault, the ledger keeps the id and independence only',
  body: z.object({ name: PersonName, independent: z._default(z.boolean(), false) }),
  response: { status: 201, schema: z.object({ jurorId: z.string() }) },
  async handle({ body, ctx }, deps) {
    const jurorId = ctx.ids.next();
    // Vault first: a juror id in the ledger always has its name, until erased on purpose.
    await deps.vault.put(jurorId, { name: body.name });
    await deps.commands.handle(
      juror,
      jurorStream(jurorId),
      { type: 'RegisterJuror', jurorId, independent: body.independent, ...(ctx.caller!.region ? { region: ctx.caller!.region } : {}) },
      ctx.command,
      { assumeEmpty: true },
    );
    return created({ jurorId });
  },
});

export const handler = lambdaHandler('jurors/register-juror', route);
