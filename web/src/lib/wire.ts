// The API's answers as the route schemas declare them (zod, inferred at compile time): the pages never re-declare a
// wire shape, so a schema that changes breaks the pages' build, not their users. Type-only: nothing of the server,
// nor zod, goes into the pages' bundles.
import type { AnswerOf } from '../../../functions/shared/route.js';

type Route<M> = M extends { route: infer R } ? AnswerOf<R> : never;

export interface Answers {
  'GET /certifications': Route<typeof import('../../../functions/certifications/list-certifications.js')>;
  'GET /certifications/{rncp}': Route<typeof import('../../../functions/certifications/get-certification.js')>;
  'GET /centres': Route<typeof import('../../../functions/centres/list-centres.js')>;
  'GET /centres/{centreId}': Route<typeof import('../../../functions/centres/get-centre.js')>;
  'GET /centres/{centreId}/sessions': Route<typeof import('../../../functions/centres/list-centre-sessions.js')>;
  'GET /centres/{centreId}/candidates': Route<typeof import('../../../functions/centres/list-centre-candidates.js')>;
  'GET /jurors': Route<typeof import('../../../functions/jurors/list-jurors.js')>;
  'GET /jurors/{jurorId}/sessions': Route<typeof import('../../../functions/jurors/list-juror-sessions.js')>;
  'GET /sessions/{sessionId}': Route<typeof import('../../../functions/sessions/get-session.js')>;
  'GET /candidates/{candidateId}/record': Route<typeof import('../../../functions/candidates/get-record.js')>;
  'GET /candidates/{candidateId}/notifications': Route<typeof import('../../../functions/candidates/list-notifications.js')>;
  'GET /candidates/{candidateId}/access-log': Route<typeof import('../../../functions/candidates/get-access-log.js')>;
  'GET /certificates/{code}/verifications': Route<typeof import('../../../functions/certificates/list-verifications.js')>;
  'GET /verify/{code}': Route<typeof import('../../../functions/certificates/verify-certificate.js')>;
  'GET /statistics': Route<typeof import('../../../functions/statistics/get-statistics.js')>;
  'GET /statistics/exports/{exportId}': string;
  'POST /statistics/exports': Route<typeof import('../../../functions/statistics/export-statistics.js')>;
  'POST /sessions': Route<typeof import('../../../functions/sessions/schedule-session.js')>;
  'POST /candidates': Route<typeof import('../../../functions/candidates/register-candidate.js')>;
  'POST /centres': Route<typeof import('../../../functions/centres/register-centre.js')>;
  'POST /jurors': Route<typeof import('../../../functions/jurors/register-juror.js')>;
}

export type ApiAnswer<K extends keyof Answers> = Answers[K];
