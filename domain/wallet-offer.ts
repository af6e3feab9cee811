import type { EventData, LedgerEvent } from '../events/registry.js';
import { assertNever, type Decider } from './decider.js';
import { conflict, notFound, refuse } from './errors.js';

export type WalletOfferEvent = Extract<LedgerEvent, { type: 'WalletOfferMade' | 'WalletOfferRedeemed' }>;

export type WalletOfferCommand =
  | ({ type: 'MakeWalletOffer' } & EventData<'WalletOfferMade'>)
  /** `now`: the ledger's instant, to compare with the offer's expiry. */
  | { type: 'RedeemWalletOffer'; now: string };

export type WalletOfferState = { made?: EventData<'WalletOfferMade'>; redeemedAt?: string };

/** A pre-authorised code's offer, by the code's hash: the code is a bearer secret, never kept. */
export const walletOfferStream = (codeHash: string) => `wallet-offer#${codeHash}`;

/**
 * A pre-authorised code is single-use and expires (OpenID4VCI §4.1.1: short-lived, one use), so that a code seen
 * over the holder's shoulder or in a screenshot cannot put the titre in another wallet later.
 */
function decide(command: WalletOfferCommand, state: WalletOfferState): WalletOfferEvent[] {
  switch (command.type) {
    case 'MakeWalletOffer': {
      if (state.made) throw conflict('wallet-offer-exists', 'an offer under this code exists already');
      const { type: _, ...made } = command;
      return [{ type: 'WalletOfferMade', data: made }];
    }
    case 'RedeemWalletOffer':
      if (!state.made) throw notFound('wallet-offer-not-found', 'no offer for this pre-authorised code');
      if (state.redeemedAt) throw refuse('wallet-offer-used', 'this pre-authorised code was used already');
      if (command.now >= state.made.expiresAt) throw refuse('wallet-offer-expired', 'this pre-authorised code has expired');
      return [{ type: 'WalletOfferRedeemed', data: { certificateCode: state.made.certificateCode, at: command.now } }];
    default:
      return assertNever(command);
  }
}

function evolve(state: WalletOfferState, event: WalletOfferEvent): WalletOfferState {
  switch (event.type) {
    case 'WalletOfferMade':
      return { made: event.data };
    case 'WalletOfferRedeemed':
      return { ...state, redeemedAt: event.data.at };
    default:
      return state;
  }
}

export const walletOffer: Decider<WalletOfferCommand, WalletOfferState, WalletOfferEvent> = { decide, evolve, initialState: {} };
