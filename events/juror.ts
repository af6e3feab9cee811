import { z } from 'zod';
import { defineEvent, Id, IsoDate, RncpCode } from './define-event.js';

const JurorRegisteredV1 = z.object({ jurorId: Id, independent: z.boolean() });
/**
 * A juror exists: the name lives in the vault under jurorId, never here. `region`: the region of the DREETS that
 * registered them, whose agents habilitate them (absent for jurors registered before regions were recorded).
 */
export const JurorRegistered = defineEvent(
  'JurorRegistered',
  { 1: JurorRegisteredV1, latest: JurorRegisteredV1.extend({ region: z.string().min(1).max(100).optional() }) },
  { 1: (d: z.infer<typeof JurorRegisteredV1>) => d },
);

/** The juror may sit on juries of one certification version, dates included. */
export const HabilitationGranted = defineEvent('HabilitationGranted', {
  latest: z.object({ jurorId: Id, rncp: RncpCode, validFrom: IsoDate, validUntil: IsoDate }),
});
