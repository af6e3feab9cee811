import { z } from 'zod';
import { RncpCode } from '../../events/define-event.js';

/** A year of obtention, as the fiche writes it. */
export const StatisticsYear = z
  .string()
  .regex(/^(19|20)\d\d$/, 'a year such as 2022')
  .transform(Number);

export const StatisticsQuerySchema = z.object({
  rncp: RncpCode.optional(),
  year: StatisticsYear.optional(),
  format: z.enum(['json', 'csv']).optional(),
});

export const ExportRequest = z.object({
  year: z.number().int().min(1900).max(2099),
  rncp: RncpCode.optional(),
});

/**
 * An export's id names what it holds, so the key follows from it and nothing else is stored: the year, the
 * lineage filter if any, and the ledger position (`2025-RNCP38665-p1234`, `2025-p1234`).
 */
export const ExportId = z.string().regex(/^(19|20)\d\d(-[A-Z][A-Z0-9]{2,19})?-p\d{1,12}$/, 'an exportId as POST /statistics/exports answers it');
export const exportIdOf = (year: number, position: number, rncp?: string) => `${year}${rncp ? `-${rncp}` : ''}-p${position}`;
export const exportKeyOf = (exportId: string) => `statistics/${exportId.slice(0, 4)}/statistics-${exportId}.csv`;

const Rate = z.number().int().min(0).max(100).nullable();

export const BreakdownSchema = z.object({
  enrolled: z.number().int(),
  present: z.number().int(),
  certified: z.number().int(),
  certifiedViaVae: z.number().int(),
  ccpIssued: z.number().int(),
  successRate: Rate,
});

const Tally = z.object({
  respondents: z.number().int(),
  neutralised: z.number().int(),
  employedTargetJob: z.number().int(),
  employedOther: z.number().int(),
  unemployed: z.number().int(),
});

export const StatisticsRowSchema = BreakdownSchema.extend({
  year: z.number().int(),
  rncp: RncpCode,
  lineage: z.array(RncpCode),
  insertion6mGlobal: Rate,
  insertion6mTargetJob: Rate,
  insertion24mTargetJob: Rate,
  surveys: z.object({ '6m': Tally, '24m': Tally }),
  byRoute: z.record(z.string(), BreakdownSchema),
  byCentre: z.record(z.string(), BreakdownSchema.extend({ name: z.string().nullable(), region: z.string().nullable() })),
  byRegion: z.record(z.string(), BreakdownSchema),
});

export const StatisticsAnswerSchema = z.object({
  position: z
    .number()
    .int()
    .describe(
      'The ledger position reflected: the sum of the per-stream checkpoints of the documents read, i.e. the number of events of the session, candidate, centre and certification streams the answer has seen',
    ),
  rows: z.array(StatisticsRowSchema),
});
