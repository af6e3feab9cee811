import { z } from 'zod';
import { livret } from '../../domain/livret.js';
import { Id, IsoDate } from '../../events/define-event.js';
import { certificateStatus, statusOn, type CertificateDoc } from '../projections/certificate-status.js';
import { referentialOf } from '../workflows/capitalisation-facts.js';
import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { defineRoute, ok } from '../shared/route.js';
import { readableRecord } from './candidate-access.js';

const Bloc = z.object({
  code: z.string(),
  title: z.string().optional(),
  acquired: z.boolean(),
  acquiredAt: z.string().optional(),
  via: z.record(z.string(), z.unknown()).optional(),
  usableUntil: z.string().optional(),
  usable: z.boolean(),
  lapsed: z.boolean().optional(),
});

export const Record = z.object({
  candidateId: z.string(),
  asOf: z.string(),
  position: z.object({ stream: z.string(), version: z.number() }),
  certifications: z.array(
    z.object({
      rncp: z.string(),
      title: z.string(),
      blocs: z.array(Bloc),
      eligible: z.boolean(),
      missing: z.array(z.string()),
      titre: z.object({ issuedAt: z.string(), sessionId: z.string(), certificateCode: z.string().nullable() }).nullable(),
    }),
  ),
  certificates: z.array(z.object({ code: z.string(), kind: z.enum(['titre', 'ccp']), rncp: z.string(), blocs: z.array(z.string()), status: z.enum(['valid', 'suspended', 'revoked', 'pending']) })),
});

export const route = defineRoute({
  summary: "The candidate's livret: blocs held per certification, until when each counts, eligibility, titre, certificates",
  params: z.object({ candidateId: Id }),
  query: z.object({ asOf: IsoDate.optional() }),
  response: { status: 200, schema: Record },
  async handle({ params, query, ctx }, deps) {
    const { doc, position } = await readableRecord(deps, ctx.caller!, params.candidateId);
    const today = ledgerDate(deps.clock.now());
    const asOf = query.asOf && query.asOf < today ? query.asOf : today;
    // The ledger as it stood at the end of `asOf`: the last version recorded that day or before.
    const at = asOf === today ? position : (doc.positions.filter(([day]) => day <= asOf).at(-1)?.[1] ?? 0);
    const certificates = await Promise.all(
      doc.certificates
        .filter((c) => c.recordedOn <= asOf)
        .map(async (c) => {
          const found = await deps.readModels.get<CertificateDoc>(certificateStatus.model, c.code);
          const status = found ? (statusOn(found.doc, asOf)?.status ?? 'pending') : 'pending';
          return { code: c.code, kind: c.kind, rncp: c.rncp, blocs: c.blocs, status };
        }),
    );
    return ok({
      candidateId: doc.candidateId,
      asOf,
      position: { stream: `candidate#${doc.candidateId}`, version: at },
      certifications: livret(doc.events, await referentialOf(deps), asOf),
      certificates,
    });
  },
});

export const handler = lambdaHandler('candidates/get-record', route);
