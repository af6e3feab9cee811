import * as z from './zod.js';
import { CertificateCode } from './certificate.js';
import { defineEvent, Id } from './define-event.js';

/**
 * Before offers carried their own facts (a signed pre-authorised code, below), one was recorded when made; it is
 * kept for those stored. A credential offer made to a certificate's holder for their wallet (OpenID4VCI, pre-authorised code), on stream
 * `wallet-offer#<SHA-256 of the code>`: the code itself is a bearer secret and is never stored, only its hash.
 */
export const WalletOfferMade = defineEvent('WalletOfferMade', {
  latest: z.object({ certificateCode: CertificateCode, candidateId: Id, expiresAt: z.iso.datetime() }),
});

/** The offer's pre-authorised code exchanged for an access token: once only. */
export const WalletOfferRedeemed = defineEvent('WalletOfferRedeemed', {
  latest: z.object({ certificateCode: CertificateCode, at: z.iso.datetime() }),
});

/**
 * A wrong tx_code (the PIN shown next to the offer's QR code) sent with the offer's pre-authorised code: recorded,
 * so that after a few the code is dead and the PIN cannot be found by trying them all.
 */
export const WalletOfferTxCodeRejected = defineEvent('WalletOfferTxCodeRejected', {
  latest: z.object({ certificateCode: CertificateCode, at: z.iso.datetime() }),
});
