import { describe, it } from 'vitest';
import { walletOffer, type WalletOfferEvent } from '../../domain/wallet-offer.js';
import { specFor } from '../support/decider-spec.js';

const spec = specFor(walletOffer);
const offer = { certificateCode: '7KQ2-M9XD-4HTB-P3WX6', candidateId: 'cand-1', expiresAt: '2025-10-08T10:15:00.000Z' };
const made: WalletOfferEvent = { type: 'WalletOfferMade', data: offer };
const redeemed: WalletOfferEvent = { type: 'WalletOfferRedeemed', data: { certificateCode: offer.certificateCode, at: '2025-10-08T10:05:00.000Z' } };

describe('wallet offers (OpenID4VCI pre-authorised codes)', () => {
  it('an offer is made under a fresh code', () => {
    spec
      .given()
      .when({ type: 'MakeWalletOffer', ...offer })
      .then([made]);
  });
  it('a second offer under the same code is refused', () => {
    spec
      .given([made])
      .when({ type: 'MakeWalletOffer', ...offer })
      .thenRefused('wallet-offer-exists');
  });
  it('the code is redeemed once before it expires', () => {
    spec.given([made]).when({ type: 'RedeemWalletOffer', now: '2025-10-08T10:05:00.000Z' }).then([redeemed]);
  });
  it('a code used already is refused', () => {
    spec.given([made, redeemed]).when({ type: 'RedeemWalletOffer', now: '2025-10-08T10:06:00.000Z' }).thenRefused('wallet-offer-used');
  });
  it('an expired code is refused', () => {
    spec.given([made]).when({ type: 'RedeemWalletOffer', now: '2025-10-08T10:15:00.000Z' }).thenRefused('wallet-offer-expired');
  });
  it('an unknown code is refused as not found', () => {
    spec.given().when({ type: 'RedeemWalletOffer', now: '2025-10-08T10:05:00.000Z' }).thenRefused('wallet-offer-not-found');
  });
});
