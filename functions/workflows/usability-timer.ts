import * as z from '../../events/zod.js';
import { BlocCode, Id, IsoDate, RncpCode } from '../../events/define-event.js';

export const UsabilityTimer = z.object({ action: z.enum(['remind', 'check']), candidateId: Id, rncp: RncpCode, bloc: BlocCode, usableUntil: IsoDate });
