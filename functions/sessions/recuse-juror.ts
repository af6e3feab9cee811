import { refuse } from '../../domain/errors.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { callerId, centreFacts, runSessionCommand } from './session-facts.js';
import { RecusalBody, SessionParams } from './session-schemas.js';

export const route = defineRoute({
  summary: 'A juror who knows a candidate stands aside for them, declared by the juror, the centre or the DREETS, until the PV is validated',
  params: SessionParams,
  body: RecusalBody,
  response: { status: 201 },
  async handle({ params: { sessionId }, body, ctx }, deps) {
    const roles = ctx.caller!.roles;
    const role = roles.includes('dreets') ? 'dreets' : roles.includes('centre') ? 'centre' : 'juror';
    const jurorId = body.jurorId ?? (role === 'juror' ? callerId(ctx) : undefined);
    if (!jurorId) throw refuse('recusal-names-juror', 'a centre or a DREETS agent names the juror who must stand aside');
    await runSessionCommand(deps, ctx, sessionId, async ({ state, certification }) => ({
      type: 'RecuseJuror',
      jurorId,
      candidateId: body.candidateId,
      declaredBy: { role, id: callerId(ctx) },
      actingRegion: ctx.caller!.region,
      centreRegion: role === 'dreets' ? (await centreFacts(deps, state.centreId))?.region : undefined,
      certification,
    }));
    // The reason may tell of the candidate's private life: it goes to their vault entry, erased with them.
    await deps.vault.update(body.candidateId, (person) => ({ ...person, notes: { ...person.notes, [`recusal:${sessionId}:${jurorId}`]: body.reason } }));
    return created({ sessionId, candidateId: body.candidateId, jurorId, declaredBy: role });
  },
});

export const handler = lambdaHandler('sessions/recuse-juror', route);
