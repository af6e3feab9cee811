import { describe, it } from 'vitest';
import { walletOffer, type WalletOfferEvent } from '../../domain/wallet-offer.js';
import { specFor } from '../support/decider-spec.js';

const spec = specFor(walletOffer);
const offer = { certificateCode: '7KQ2-M9XD-4HTB-P3WX6', candidateId: 'cand-1', expiresAt: '2025-10-08T10:15:00.000Z' };
const at = '2025-10-08T10:05:00.000Z';
const redeemed: WalletOfferEvent = { type: 'WalletOfferRedeemed', data: { certificateCode: offer.certificateCode, at } };
const wrongPin: WalletOfferEvent = { type: 'WalletOfferTxCodeRejected', data: { certificateCode: offer.certificateCode, at } };
const redeem = (txCodeMatches = true, now = at) => ({ type: 'RedeemWalletOffer' as const, offer, txCodeMatches, now });

describe('wallet offers (OpenID4VCI pre-authorised codes with a PIN)', () => {
  it('the code is redeemed with its PIN before it expires', () => {
    spec.given().when(redeem()).then([redeemed]);
  });
  it('a code used already is refused', () => {
    spec.given([redeemed]).when(redeem(true, '2025-10-08T10:06:00.000Z')).thenRefused('wallet-offer-used');
  });
  it('an expired code is refused', () => {
    spec.given().when(redeem(true, '2025-10-08T10:15:00.000Z')).thenRefused('wallet-offer-expired');
  });
  it('a wrong PIN is recorded, not redeemed; the right one after it still works', () => {
    spec.given().when(redeem(false)).then([wrongPin]);
    spec.given([wrongPin, wrongPin]).when(redeem()).then([redeemed]);
  });
  it('after three wrong PINs the code is dead, even with the right one', () => {
    spec.given([wrongPin, wrongPin, wrongPin]).when(redeem()).thenRefused('wallet-offer-locked');
    spec.given([wrongPin, wrongPin, wrongPin]).when(redeem(false)).thenRefused('wallet-offer-locked');
  });
  it('an offer recorded when made, as they were before, is redeemed the same way', () => {
    spec
      .given([{ type: 'WalletOfferMade', data: offer }])
      .when(redeem())
      .then([redeemed]);
  });
});
