import * as z from '../../events/zod.js';
import { TitreRoute } from '../../events/candidate.js';
import { Id, IsoDate } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { candidateNames } from '../shared/person-names.js';
import { defineRoute, ok } from '../shared/route.js';
import { readableRecord } from './candidate-access.js';
import { recordView } from './record-view.js';

const Bloc = z.object({
  code: z.string(),
  title: z.optional(z.string()),
  acquired: z.boolean(),
  acquiredAt: z.optional(z.string()),
  via: z.optional(z.record(z.string(), z.unknown())),
  usableUntil: z.optional(z.string()),
  usable: z.boolean(),
  lapsed: z.optional(z.boolean()),
});

export const Record = z.object({
  candidateId: z.string(),
  /** The person's name, decrypted for this request (null once erased); a centre's or agent's read is logged. */
  person: z.nullable(z.object({ familyName: z.string(), givenNames: z.string() })),
  asOf: z.string(),
  position: z.object({ stream: z.string(), version: z.number() }),
  certifications: z.array(
    z.object({
      rncp: z.string(),
      title: z.string(),
      blocs: z.array(Bloc),
      eligible: z.boolean(),
      missing: z.array(z.string()),
      titre: z.nullable(z.object({ issuedAt: z.string(), sessionId: z.string(), route: TitreRoute, certificateCode: z.nullable(z.string()) })),
    }),
  ),
  /** The sessions the candidate sat and what the validated PV decided; `resitUntil` for a training-route shortfall. */
  sessions: z.array(
    z.object({
      sessionId: z.string(),
      rncp: z.string(),
      kind: z.string(),
      startsOn: z.string(),
      endsOn: z.string(),
      outcome: z.string(),
      pvValidatedOn: z.string(),
      resitUntil: z.optional(z.string()),
    }),
  ),
  certificates: z.array(
    z.object({
      code: z.string(),
      kind: z.enum(['titre', 'ccp', 'ccs']),
      rncp: z.string(),
      blocs: z.array(z.string()),
      status: z.enum(['valid', 'suspended', 'revoked', 'pending']),
      /** For the holder and the DREETS: each status with its reason and legal basis. */
      history: z.optional(z.array(z.object({ status: z.string(), on: z.string(), reason: z.optional(z.string()), legalBasis: z.optional(z.string()) }))),
    }),
  ),
});

export const route = defineRoute({
  summary: "The candidate's livret: blocs held per certification, until when each counts, eligibility, titre, certificates",
  params: z.object({ candidateId: Id }),
  query: z.object({ asOf: z.optional(IsoDate) }),
  response: { status: 200, schema: Record },
  async handle({ params, query, ctx }, deps) {
    const found = await readableRecord(deps, ctx.caller!, params.candidateId);
    const roles = ctx.caller!.roles;
    const self = roles.includes('candidate') && ctx.caller!.ledgerId === params.candidateId;
    const [view, person] = await Promise.all([
      recordView(deps, found, query.asOf, { reasons: roles.includes('candidate') || roles.includes('dreets') }),
      self ? deps.vault.get(params.candidateId) : candidateNames(deps, ctx, [params.candidateId], 'record').then((names) => names.get(params.candidateId)),
    ]);
    const named = person?.familyName !== undefined && person.givenNames !== undefined ? { familyName: person.familyName, givenNames: person.givenNames } : null;
    return ok({ ...view, person: named });
  },
});

export const handler = lambdaHandler('candidates/get-record', route);
