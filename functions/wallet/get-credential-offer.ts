import { preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2';
import * as z from '../../events/zod.js';
import { forbidden, refuse } from '../../domain/errors.js';
import { walletOffer, walletOfferStream } from '../../domain/wallet-offer.js';
import { certificateByCode, certificateNotFound, CodeParams } from '../certificates/verification.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { configurationIdOf, issuerMetadata, newPreAuthorizedCode, OFFER_LIFETIME_SECONDS, openid4vciIssuer, sha256Hex } from './wallet-issuer.js';

/**
 * A credential offer for the holder's wallet (OpenID4VCI, pre-authorised code): `openid-credential-offer://…`, to
 * show as a QR code or open as a link. Each call makes a new single-use code that expires in 10 minutes; only its
 * hash is recorded.
 */
export const route = defineRoute({
  summary: "A credential offer (OpenID4VCI pre-authorised code, single use, 10 minutes) putting the holder's certificate in their wallet as an SD-JWT VC",
  params: z.extend(CodeParams, { candidateId: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)) }),
  response: { status: 200, schema: z.object({ offerUri: z.string(), expiresAt: z.string() }) },
  async handle({ params, ctx }, deps) {
    const caller = ctx.caller!;
    if (caller.ledgerId !== params.candidateId) throw forbidden('not-your-certificate', 'a holder asks offers for their own certificates');
    const doc = await certificateByCode(deps, params.code);
    if (!doc || doc.candidateId !== params.candidateId) throw certificateNotFound();
    if (doc.status !== 'valid') throw refuse('certificate-not-valid', `certificate ${doc.code} is ${doc.status}: it cannot go to a wallet`);
    const code = newPreAuthorizedCode();
    const expiresAt = new Date(Date.parse(deps.clock.now()) + OFFER_LIFETIME_SECONDS * 1000).toISOString();
    await deps.commands.handle(
      walletOffer,
      walletOfferStream(sha256Hex(code)),
      { type: 'MakeWalletOffer', certificateCode: doc.code, candidateId: doc.candidateId, expiresAt },
      ctx.command,
      { assumeEmpty: true },
    );
    const { credentialOffer } = await openid4vciIssuer(deps).createCredentialOffer({
      issuerMetadata: issuerMetadata(deps),
      credentialConfigurationIds: [configurationIdOf(doc.kind)],
      grants: { [preAuthorizedCodeGrantIdentifier]: { 'pre-authorized_code': code } },
    });
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify({ offerUri: credentialOffer, expiresAt }),
    };
  },
});

export const handler = lambdaHandler('wallet/get-credential-offer', route);
