import * as z from './zod.js';
import { BlocCode, defineEvent, Id, IsoDate, RncpCode } from './define-event.js';

/** A training centre. Its name is an organisation's, not a person's: it may sit in the event. */
export const CentreRegistered = defineEvent('CentreRegistered', {
  latest: z.object({ centreId: Id, name: z.string().check(z.minLength(1), z.maxLength(200)), region: z.string().check(z.minLength(1), z.maxLength(100)) }),
});

const AgrementGrantedV1 = z.object({ centreId: Id, rncp: RncpCode, validFrom: IsoDate, validUntil: IsoDate });
/**
 * The DREETS allows the centre to hold sessions of one certification version, dates included; `ccs`: the CCS of
 * the version it may also examine (a CCS needs its own agrément).
 */
export const AgrementGranted = defineEvent(
  'AgrementGranted',
  { 1: AgrementGrantedV1, latest: z.extend(AgrementGrantedV1, { ccs: z.optional(z.array(BlocCode)) }) },
  { 1: (d: z.infer<typeof AgrementGrantedV1>) => d },
);
