import * as z from '../../events/zod.js';
import { jwksOf } from '../ports/signer.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { certifiersBySlug } from './issuer-documents.js';
import { issuerDid } from './issuer-identity.js';

export const route = defineRoute({
  summary:
    'The keys that sign certificates, each with its validity window: every key ever used stays, so old certificates still verify; each under its thumbprint and under the DID URL of each issuer',
  response: {
    status: 200,
    contentType: 'application/jwk-set+json',
    schema: z.object({
      keys: z.array(
        z.looseObject(
          z.object({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string(), validFrom: z.optional(z.string()), validUntil: z.optional(z.string()) }).shape,
        ),
      ),
    }),
  },
  async handle(_, deps) {
    const [keys, certifiers] = await Promise.all([deps.signer.publicKeys(), certifiersBySlug(deps)]);
    const prefixes = [...certifiers.values()].map((c) => `${issuerDid(deps.publicBaseUrl, c)}#`);
    return {
      status: 200,
      headers: { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' },
      body: JSON.stringify(jwksOf(keys, prefixes)),
    };
  },
});

export const handler = lambdaHandler('certificates/get-jwks', route);
