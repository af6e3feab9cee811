import * as z from '../../events/zod.js';
import { RncpCode } from '../../events/define-event.js';

/** A year of obtention, as the fiche writes it. */
export const StatisticsYear = z.pipe(z.string().check(z.regex(/^(19|20)\d\d$/, 'a year such as 2022')), z.transform(Number));

export const StatisticsQuerySchema = z.object({
  rncp: z.optional(RncpCode),
  year: z.optional(StatisticsYear),
  format: z.optional(z.enum(['json', 'csv'])),
});

export const ExportRequest = z.object({
  year: z.number().check(z.int(), z.gte(1900), z.lte(2099)),
  rncp: z.optional(RncpCode),
});

/**
 * An export's id names what it holds, so the key follows from it and nothing else is stored: the year, the
 * lineage filter if any, and the ledger position (`2025-RNCP38665-p1234`, `2025-p1234`).
 */
export const ExportId = z.string().check(z.regex(/^(19|20)\d\d(-[A-Z][A-Z0-9]{2,19})?-p\d{1,12}$/, 'an exportId as POST /statistics/exports answers it'));
export const exportIdOf = (year: number, position: number, rncp?: string) => `${year}${rncp ? `-${rncp}` : ''}-p${position}`;
export const exportKeyOf = (exportId: string) => `statistics/${exportId.slice(0, 4)}/statistics-${exportId}.csv`;

const Rate = z.nullable(z.number().check(z.int(), z.gte(0), z.lte(100)));

export const BreakdownSchema = z.object({
  enrolled: z.number().check(z.int()),
  present: z.number().check(z.int()),
  certified: z.number().check(z.int()),
  certifiedViaVae: z.number().check(z.int()),
  ccpIssued: z.number().check(z.int()),
  successRate: Rate,
});

const Tally = z.object({
  respondents: z.number().check(z.int()),
  neutralised: z.number().check(z.int()),
  employedTargetJob: z.number().check(z.int()),
  employedOther: z.number().check(z.int()),
  unemployed: z.number().check(z.int()),
});

export const StatisticsRowSchema = z.extend(BreakdownSchema, {
  year: z.number().check(z.int()),
  rncp: RncpCode,
  lineage: z.array(RncpCode),
  insertion6mGlobal: Rate,
  insertion6mTargetJob: Rate,
  insertion24mTargetJob: Rate,
  surveys: z.object({ '6m': Tally, '24m': Tally }),
  byRoute: z.record(z.string(), BreakdownSchema),
  byCentre: z.record(z.string(), z.extend(BreakdownSchema, { name: z.nullable(z.string()), region: z.nullable(z.string()) })),
  byRegion: z.record(z.string(), BreakdownSchema),
});

export const StatisticsAnswerSchema = z.object({
  position: z
    .number()
    .check(
      z.int(),
      z.describe(
        'The ledger position reflected: the sum of the per-stream checkpoints of the documents read, i.e. the number of events of the session, candidate, centre and certification streams the answer has seen',
      ),
    ),
  rows: z.array(StatisticsRowSchema),
});
