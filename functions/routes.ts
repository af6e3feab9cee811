import type { Role } from './shared/auth.js';

export interface RouteEntry {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** `public`, or the roles that may call it; ownership (your session, your record) is checked inside. */
  auth: 'public' | readonly Role[];
  /** The handler module under functions/, without extension: its file is the Lambda entry in AWS. */
  module: string;
  /** Local runtime only: never deployed to AWS. */
  localOnly?: boolean;
  /**
   * A public GET that verifiers and wallets read from pages elsewhere: any origin may read it (CORS, GET only,
   * no credentials), and the preflight is answered.
   */
  cors?: true;
}

/**
 * The one list of routes. It drives the local HTTP server and the API Gateway routes in infra/, so the
 * two cannot drift. Keep it data only: Lambda bundles import it.
 */
export const routes: readonly RouteEntry[] = [
  { method: 'GET', path: '/health', auth: 'public', module: 'health/get-health' },
  { method: 'GET', path: '/openapi.json', auth: 'public', module: 'openapi/get-openapi' },
  { method: 'GET', path: '/certifications', auth: 'public', module: 'certifications/list-certifications' },
  { method: 'GET', path: '/certifications/{rncp}', auth: 'public', module: 'certifications/get-certification' },
  { method: 'POST', path: '/candidates', auth: ['centre'], module: 'candidates/register-candidate' },
  { method: 'GET', path: '/candidates/{candidateId}/record', auth: ['candidate', 'centre', 'dreets'], module: 'candidates/get-record' },
  { method: 'GET', path: '/candidates/{candidateId}/access-log', auth: ['candidate'], module: 'candidates/get-access-log' },
  { method: 'GET', path: '/candidates/{candidateId}/notifications', auth: ['candidate', 'centre', 'dreets'], module: 'candidates/list-notifications' },
  { method: 'POST', path: '/candidates/{candidateId}/trainings', auth: ['centre'], module: 'candidates/declare-training' },
  { method: 'POST', path: '/candidates/{candidateId}/vae-recevabilite', auth: ['dreets'], module: 'candidates/decide-vae-recevabilite' },
  { method: 'POST', path: '/candidates/{candidateId}/equivalences', auth: ['dreets'], module: 'candidates/grant-equivalence' },
  { method: 'POST', path: '/candidates/{candidateId}/insertion-surveys', auth: ['centre', 'ministry'], module: 'candidates/record-insertion-survey' },
  { method: 'DELETE', path: '/candidates/{candidateId}/personal-data', auth: ['dreets'], module: 'candidates/erase-personal-data' },
  { method: 'POST', path: '/candidates/{candidateId}/accounts', auth: ['centre'], module: 'candidates/invite-candidate-account' },
  { method: 'DELETE', path: '/candidates/{candidateId}/accounts/{email}', auth: ['centre'], module: 'candidates/disable-candidate-account' },
  { method: 'GET', path: '/centres', auth: ['dreets', 'ministry'], module: 'centres/list-centres' },
  { method: 'POST', path: '/centres', auth: ['dreets'], module: 'centres/register-centre' },
  { method: 'GET', path: '/centres/{centreId}', auth: ['centre', 'dreets'], module: 'centres/get-centre' },
  { method: 'GET', path: '/centres/{centreId}/candidates', auth: ['centre'], module: 'centres/list-centre-candidates' },
  { method: 'GET', path: '/centres/{centreId}/sessions', auth: ['centre', 'dreets'], module: 'centres/list-centre-sessions' },
  { method: 'POST', path: '/centres/{centreId}/agrements', auth: ['dreets'], module: 'centres/grant-agrement' },
  { method: 'POST', path: '/centres/{centreId}/accounts', auth: ['dreets'], module: 'centres/invite-centre-account' },
  { method: 'DELETE', path: '/centres/{centreId}/accounts/{email}', auth: ['dreets'], module: 'centres/disable-centre-account' },
  { method: 'GET', path: '/jurors', auth: ['dreets', 'centre'], module: 'jurors/list-jurors' },
  { method: 'POST', path: '/jurors', auth: ['dreets'], module: 'jurors/register-juror' },
  { method: 'GET', path: '/jurors/{jurorId}/sessions', auth: ['juror'], module: 'jurors/list-juror-sessions' },
  { method: 'POST', path: '/jurors/{jurorId}/habilitations', auth: ['dreets'], module: 'jurors/grant-habilitation' },
  { method: 'POST', path: '/jurors/{jurorId}/accounts', auth: ['dreets'], module: 'jurors/invite-juror-account' },
  { method: 'DELETE', path: '/jurors/{jurorId}/accounts/{email}', auth: ['dreets'], module: 'jurors/disable-juror-account' },
  { method: 'POST', path: '/sessions', auth: ['centre'], module: 'sessions/schedule-session' },
  { method: 'GET', path: '/sessions/{sessionId}', auth: ['centre', 'juror', 'dreets'], module: 'sessions/get-session' },
  { method: 'PUT', path: '/sessions/{sessionId}/jury', auth: ['centre'], module: 'sessions/constitute-jury' },
  { method: 'POST', path: '/sessions/{sessionId}/enrolments', auth: ['centre'], module: 'sessions/enrol-candidate' },
  { method: 'DELETE', path: '/sessions/{sessionId}/enrolments/{candidateId}', auth: ['centre'], module: 'sessions/withdraw-candidate' },
  { method: 'POST', path: '/sessions/{sessionId}/recusals', auth: ['juror', 'centre', 'dreets'], module: 'sessions/recuse-juror' },
  { method: 'POST', path: '/sessions/{sessionId}/accommodations', auth: ['dreets'], module: 'sessions/decide-accommodation' },
  { method: 'POST', path: '/sessions/{sessionId}/assessments', auth: ['juror'], module: 'sessions/record-assessment' },
  { method: 'POST', path: '/sessions/{sessionId}/deliberations', auth: ['juror'], module: 'sessions/propose-deliberation' },
  { method: 'POST', path: '/sessions/{sessionId}/deliberations/{candidateId}/signatures', auth: ['juror'], module: 'sessions/sign-deliberation' },
  { method: 'POST', path: '/sessions/{sessionId}/pv-validation', auth: ['dreets'], module: 'sessions/validate-pv' },
  { method: 'POST', path: '/sessions/{sessionId}/deliberations/{candidateId}/annulment', auth: ['dreets'], module: 'sessions/annul-decision' },
  { method: 'GET', path: '/verify/{code}', auth: 'public', module: 'certificates/verify-certificate', cors: true },
  { method: 'GET', path: '/certificates/{code}/credential', auth: 'public', module: 'certificates/get-credential', cors: true },
  { method: 'GET', path: '/certificates/{code}/pdf', auth: 'public', module: 'certificates/get-certificate-pdf' },
  { method: 'GET', path: '/certificates/{code}/verifications', auth: ['candidate', 'dreets'], module: 'certificates/list-verifications' },
  { method: 'POST', path: '/certificates/{code}/suspension', auth: ['dreets'], module: 'certificates/suspend-certificate' },
  { method: 'POST', path: '/certificates/{code}/reinstatement', auth: ['dreets'], module: 'certificates/reinstate-certificate' },
  { method: 'POST', path: '/certificates/{code}/revocation', auth: ['dreets'], module: 'certificates/revoke-certificate' },
  { method: 'GET', path: '/.well-known/jwks.json', auth: 'public', module: 'certificates/get-jwks', cors: true },
  { method: 'GET', path: '/.well-known/did.json', auth: 'public', module: 'certificates/get-did-document', cors: true },
  { method: 'GET', path: '/certifiers/{certifier}/did.json', auth: 'public', module: 'certificates/get-did-document', cors: true },
  { method: 'GET', path: '/status-lists/{listId}', auth: 'public', module: 'certificates/get-status-list', cors: true },
  // After the literal /.well-known routes: the local server takes the first match (API Gateway the most specific).
  { method: 'GET', path: '/.well-known/{document}', auth: 'public', module: 'wallet/get-well-known', cors: true },
  { method: 'GET', path: '/.well-known/jwt-vc-issuer/certifiers/{certifier}', auth: 'public', module: 'wallet/get-jwt-vc-issuer', cors: true },
  { method: 'GET', path: '/credential-types/{type}', auth: 'public', module: 'wallet/get-credential-type', cors: true },
  { method: 'POST', path: '/oid4vci/{endpoint}', auth: 'public', module: 'wallet/oid4vci-endpoint' },
  { method: 'GET', path: '/candidates/{candidateId}/credential-offers/{code}', auth: ['candidate'], module: 'wallet/get-credential-offer' },
  { method: 'GET', path: '/candidates/{candidateId}/certificates/{code}/pdf', auth: ['candidate'], module: 'certificates/get-named-certificate-pdf' },
  { method: 'GET', path: '/statistics', auth: ['ministry'], module: 'statistics/get-statistics' },
  { method: 'POST', path: '/statistics/exports', auth: ['ministry'], module: 'statistics/export-statistics' },
  { method: 'GET', path: '/statistics/exports/{exportId}', auth: ['ministry'], module: 'statistics/download-export' },
  { method: 'POST', path: '/_local/clock', auth: 'public', module: 'local/move-clock', localOnly: true },
  { method: 'POST', path: '/_local/tokens', auth: 'public', module: 'local/mint-token', localOnly: true },
];

export const routeKey = (r: Pick<RouteEntry, 'method' | 'path'>) => `${r.method} ${r.path}`;
