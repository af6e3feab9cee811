import type { EventData, LedgerEvent } from '../events/registry.js';
import { assertNever, type Decider } from './decider.js';
import { refuse } from './errors.js';

export type WalletOfferEvent = Extract<LedgerEvent, { type: 'WalletOfferMade' | 'WalletOfferRedeemed' | 'WalletOfferTxCodeRejected' }>;

/** What a pre-authorised code says of its offer (signed by the ledger, so the code itself is the record of it). */
export interface WalletOfferFacts {
  certificateCode: string;
  candidateId: string;
  expiresAt: string;
}

export type WalletOfferCommand = {
  type: 'RedeemWalletOffer';
  offer: WalletOfferFacts;
  /** Whether the tx_code sent is the offer's PIN (compared by the caller, which holds the secret it derives from). */
  txCodeMatches: boolean;
  /** The ledger's instant, to compare with the offer's expiry. */
  now: string;
};

export type WalletOfferState = {
  made?: EventData<'WalletOfferMade'>;
  redeemed?: EventData<'WalletOfferRedeemed'>;
  txCodeRejections: number;
};

/** A pre-authorised code's redemptions, by the code's hash: the code is a bearer secret, never kept. */
export const walletOfferStream = (codeHash: string) => `wallet-offer#${codeHash}`;

/** Wrong PINs a code survives: a holder's typo or two, never the million tries a 6-digit PIN would take. */
export const TX_CODE_ATTEMPTS = 3;

/**
 * A pre-authorised code is single-use and expires (OpenID4VCI §4.1.1: short-lived, one use), so that a code seen
 * over the holder's shoulder or in a screenshot cannot put the titre in another wallet later; and it needs the PIN
 * shown beside it (the offer's tx_code), which a photo of the QR code alone does not give. A wrong PIN is
 * recorded (not refused): after TX_CODE_ATTEMPTS of them the code is dead.
 */
function decide(command: WalletOfferCommand, state: WalletOfferState): WalletOfferEvent[] {
  switch (command.type) {
    case 'RedeemWalletOffer': {
      const { offer, now } = command;
      if (state.redeemed) throw refuse('wallet-offer-used', 'this pre-authorised code was used already');
      if (now >= offer.expiresAt) throw refuse('wallet-offer-expired', 'this pre-authorised code has expired');
      if (state.txCodeRejections >= TX_CODE_ATTEMPTS) throw refuse('wallet-offer-locked', `the PIN was wrong ${TX_CODE_ATTEMPTS} times: ask for a new offer`);
      if (!command.txCodeMatches) return [{ type: 'WalletOfferTxCodeRejected', data: { certificateCode: offer.certificateCode, at: now } }];
      return [{ type: 'WalletOfferRedeemed', data: { certificateCode: offer.certificateCode, at: now } }];
    }
    default:
      return assertNever(command.type);
  }
}

function evolve(state: WalletOfferState, event: WalletOfferEvent): WalletOfferState {
  switch (event.type) {
    case 'WalletOfferMade':
      return { ...state, made: event.data };
    case 'WalletOfferRedeemed':
      return { ...state, redeemed: event.data };
    case 'WalletOfferTxCodeRejected':
      return { ...state, txCodeRejections: state.txCodeRejections + 1 };
    default:
      return state;
  }
}

export const walletOffer: Decider<WalletOfferCommand, WalletOfferState, WalletOfferEvent> = { decide, evolve, initialState: { txCodeRejections: 0 } };
