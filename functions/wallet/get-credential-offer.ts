import * as z from '../../events/zod.js';
import { forbidden, refuse } from '../../domain/errors.js';
import { certificateByCode, certificateNotFound, CodeParams } from '../certificates/verification.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { configurationIdOf } from './credential-types.js';
import { credentialOfferUri } from './issuer-metadata.js';
import { newPreAuthorizedCode, OFFER_LIFETIME_SECONDS, TX_CODE_LENGTH, txCodeOf } from './offer-codes.js';

/**
 * A credential offer for the holder's wallet (OpenID4VCI, pre-authorised code with a PIN): `openid-credential-offer://…`,
 * to show as a QR code or open as a link, and its PIN (`tx_code`) to type in the wallet. A read (API.md: GET):
 * nothing is recorded until a wallet redeems the code; each call gives a new single-use code that expires
 * OFFER_LIFETIME_SECONDS later. A certificate no longer valid gets no offer (422 certificate-not-valid).
 */
export const route = defineRoute({
  summary:
    "A credential offer (OpenID4VCI pre-authorised code, single use, 10 minutes, with a 6-digit PIN to type in the wallet: tx_code) putting the holder's certificate in their wallet as an SD-JWT VC; records nothing; 422 certificate-not-valid for a suspended or revoked certificate",
  params: z.extend(CodeParams, { candidateId: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)) }),
  response: { status: 200, schema: z.object({ offerUri: z.string(), expiresAt: z.string(), txCode: z.string() }) },
  async handle({ params, ctx }, deps) {
    const caller = ctx.caller!;
    if (caller.ledgerId !== params.candidateId) throw forbidden('not-your-certificate', 'a holder asks offers for their own certificates');
    const doc = await certificateByCode(deps, params.code);
    if (!doc || doc.candidateId !== params.candidateId) throw certificateNotFound();
    if (doc.status !== 'valid') throw refuse('certificate-not-valid', `certificate ${doc.code} is ${doc.status}: it cannot go to a wallet`);
    // Whole seconds: the code carries its expiry as a JWT `exp`.
    const expiresAt = new Date((Math.floor(Date.parse(deps.clock.now()) / 1000) + OFFER_LIFETIME_SECONDS) * 1000).toISOString();
    const code = await newPreAuthorizedCode(deps, { certificateCode: doc.code, candidateId: doc.candidateId, expiresAt });
    const txCode = await txCodeOf(deps, doc.candidateId, code);
    if (!txCode) throw refuse('personal-data-erased', 'the holder’s personal data were erased: their certificate cannot go to a wallet');
    const credentialOffer = credentialOfferUri(deps, {
      configurationId: configurationIdOf(doc.kind),
      preAuthorizedCode: code,
      txCode: { input_mode: 'numeric', length: TX_CODE_LENGTH, description: 'Code affiché à côté du QR code' },
    });
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify({ offerUri: credentialOffer, expiresAt, txCode }),
    };
  },
});

export const handler = lambdaHandler('wallet/get-credential-offer', route);
