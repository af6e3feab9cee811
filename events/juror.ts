import { z } from 'zod';
import { defineEvent, Id, IsoDate, RncpCode } from './define-event.js';

/** A juror exists: the name lives in the vault under jurorId, never here. */
export const JurorRegistered = defineEvent('JurorRegistered', {
  latest: z.object({ jurorId: Id, independent: z.boolean() }),
});

/** The juror may sit on juries of one certification version, dates included. */
export const HabilitationGranted = defineEvent('HabilitationGranted', {
  latest: z.object({ jurorId: Id, rncp: RncpCode, validFrom: IsoDate, validUntil: IsoDate }),
});
