import * as z from './zod.js';
import { defineEvent, Id, IsoDate, RncpCode } from './define-event.js';

const JurorRegisteredV1 = z.object({ jurorId: Id, independent: z.boolean() });
/**
 * A juror exists: the name lives in the vault under jurorId, never here. `region`: the region of the DREETS that
 * registered them, whose agents habilitate them (absent for jurors registered before regions were recorded).
 */
export const JurorRegistered = defineEvent(
  'JurorRegistered',
  { 1: JurorRegisteredV1, latest: z.extend(JurorRegisteredV1, { region: z.optional(z.string().check(z.minLength(1), z.maxLength(100))) }) },
  { 1: (d: z.infer<typeof JurorRegisteredV1>) => d },
);

/** The juror may sit on juries of one certification version, dates included. */
export const HabilitationGranted = defineEvent('HabilitationGranted', {
  latest: z.object({ jurorId: Id, rncp: RncpCode, validFrom: IsoDate, validUntil: IsoDate }),
});
