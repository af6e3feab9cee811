import * as z from './zod.js';
import { CertificateCode } from './certificate.js';
import { defineEvent, Id } from './define-event.js';

/**
 * A credential offer made to a certificate's holder for their wallet (OpenID4VCI, pre-authorised code), on stream
 * `wallet-offer#<SHA-256 of the code>`: the code itself is a bearer secret and is never stored, only its hash.
 */
export const WalletOfferMade = defineEvent('WalletOfferMade', {
  latest: z.object({ certificateCode: CertificateCode, candidateId: Id, expiresAt: z.iso.datetime() }),
});

/** The offer's pre-authorised code exchanged for an access token: once only. */
export const WalletOfferRedeemed = defineEvent('WalletOfferRedeemed', {
  latest: z.object({ certificateCode: CertificateCode, at: z.iso.datetime() }),
});
