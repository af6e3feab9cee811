import { z } from 'zod';
import { defineEvent, Id, IsoDate, RncpCode } from './define-event.js';

/** A training centre. Its name is an organisation's, not a person's: it may sit in the event. */
export const CentreRegistered = defineEvent('CentreRegistered', {
  latest: z.object({ centreId: Id, name: z.string().min(1).max(200), region: z.string().min(1).max(100) }),
});

/** The DREETS allows the centre to hold sessions of one certification version, dates included. */
export const AgrementGranted = defineEvent('AgrementGranted', {
  latest: z.object({ centreId: Id, rncp: RncpCode, validFrom: IsoDate, validUntil: IsoDate }),
});
