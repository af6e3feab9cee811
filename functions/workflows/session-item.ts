import * as z from '../../events/zod.js';
import { TitreRoute } from '../../events/candidate.js';
import { AccessRoute } from '../../events/certification.js';
import { BlocCode, Id, IsoDate, RncpCode } from '../../events/define-event.js';

/** The input of each Map iteration of the session workflow: one candidate of a validated PV. */
export const SessionItem = z.object({
  sessionId: Id,
  rncp: RncpCode,
  decidedOn: IsoDate,
  candidate: z.object({
    candidateId: Id,
    outcome: z.enum(['titre', 'ccp', 'ajourne', 'absent', 'exclu']),
    /** The blocs acquired at this session (for a titre by capitalisation, only those sat now). */
    blocs: z.array(BlocCode),
    enrolment: z.object({ kind: z.enum(['titre', 'ccp', 'ccs']), route: AccessRoute, blocs: z.array(BlocCode), startsOn: IsoDate, endsOn: IsoDate }),
    titreRoute: TitreRoute,
  }),
});
export type SessionItem = z.infer<typeof SessionItem>;

export const stepContext = (item: SessionItem, what: string, now: string) => {
  const commandId = `session:${item.sessionId}:${what}:${item.candidate.candidateId}`;
  return { commandId, actor: 'system:session-workflow', correlationId: `session:${item.sessionId}`, now };
};
