import type { RouteDefinition } from './shared/route.js';

type RouteModule = { route: RouteDefinition<any, any, any> };

/** How the local server and the OpenAPI document load each handler module named in the manifest. */
export const routeModules: Record<string, () => Promise<RouteModule>> = {
  'health/get-health': () => import('./health/get-health.js'),
  'openapi/get-openapi': () => import('./openapi/get-openapi.js'),
  'certifications/list-certifications': () => import('./certifications/list-certifications.js'),
  'certifications/get-certification': () => import('./certifications/get-certification.js'),
  'candidates/register-candidate': () => import('./candidates/register-candidate.js'),
  'local/move-clock': () => import('./local/move-clock.js'),
};
