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
  { method: 'POST', path: '/_local/clock', auth: 'public', module: 'local/move-clock', localOnly: true },
];

export const routeKey = (r: Pick<RouteEntry, 'method' | 'path'>) => `${r.method} ${r.path}`;
