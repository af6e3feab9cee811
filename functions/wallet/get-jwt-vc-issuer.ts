import * as z from '../../events/zod.js';
import { notFound } from '../../domain/errors.js';
import { certifiersBySlug } from '../certificates/issuer-documents.js';
import { sdJwtIssuer } from '../certificates/issuer-identity.js';
import { jwksOf } from '../ports/signer.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';

/**
 * A certifier's SD-JWT VC issuer metadata (SD-JWT VC, JWT VC Issuer Metadata): for `iss` = `<host>/certifiers/<c>`,
 * `<host>/.well-known/jwt-vc-issuer/certifiers/<c>` gives `{issuer, jwks}`, every signing key, retired ones too.
 */
export const route = defineRoute({
  summary: 'A certifier’s SD-JWT VC issuer metadata: its issuer identifier and signing keys (current and retired)',
  params: z.object({
    certifier: z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a certifier as its issuer names it'), z.maxLength(100)),
  }),
  response: { status: 200, schema: z.object({ issuer: z.string(), jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) }) },
  async handle({ params }, deps) {
    const certifier = (await certifiersBySlug(deps)).get(params.certifier);
    if (!certifier) throw notFound('issuer-not-found', `no certifier ${params.certifier}`);
    const body = { issuer: sdJwtIssuer(deps.publicBaseUrl, certifier), jwks: jwksOf(await deps.signer.publicKeys()) };
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' }, body: JSON.stringify(body) };
  },
});

export const handler = lambdaHandler('wallet/get-jwt-vc-issuer', route);
