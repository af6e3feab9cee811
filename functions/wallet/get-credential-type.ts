import * as z from '../../events/zod.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { typeMetadata, WALLET_CREDENTIALS, type WalletCredentialId } from './credential-types.js';

/** An SD-JWT VC credential type's Type Metadata, at the URL its `vct` is: what a wallet or verifier fetches to show it. */
export const route = defineRoute({
  summary: 'The SD-JWT VC Type Metadata of a wallet credential type, served at its vct URL (titre, CCP, CCS)',
  params: z.object({ type: z.enum(Object.keys(WALLET_CREDENTIALS) as [WalletCredentialId, ...WalletCredentialId[]]) }),
  response: { status: 200, schema: z.record(z.string(), z.unknown()) },
  async handle({ params }, deps) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=3600' },
      body: JSON.stringify(typeMetadata(deps, params.type)),
    };
  },
});

export const handler = lambdaHandler('wallet/get-credential-type', route);
