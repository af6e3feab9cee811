/**
 * Sign-in's yearly bill, apart from the journey's (it depends on how often people sign in, not on what they do):
 * the user pool's feature plan (infra/constructs/ledger-http-api.ts, `featurePlan`; test/infra/sign-in-price.test.ts
 * holds the two together) at its price per monthly active user, plus the federation charge for those who sign in
 * through FranceConnect or ProConnect (OIDC providers are a billing dimension of their own, Cognito's "Monitoring
 * costs"). Whether a federated user on Plus pays the plan's rate as well is not said in what we read: both are
 * counted, an upper bound.
 */
export const COGNITO_PLAN = 'PLUS' as const;

export interface CognitoPrices {
  plusMonthlyActiveUser: { usd: number };
  federatedMonthlyActiveUser: { usd: number };
  freeFederatedMonthlyActiveUsers: { count: number };
}

export interface SignInVolume {
  /** Distinct people signing in in an average month. */
  monthlyActiveUsers: number;
  /** The share of them through FranceConnect or ProConnect (0 to 1). */
  federatedShare: number;
}

export function yearlySignInCost(prices: CognitoPrices, volume: SignInVolume) {
  const plan = volume.monthlyActiveUsers * prices.plusMonthlyActiveUser.usd * 12;
  const federatedUsers = volume.monthlyActiveUsers * volume.federatedShare;
  const federation = Math.max(0, federatedUsers - prices.freeFederatedMonthlyActiveUsers.count) * prices.federatedMonthlyActiveUser.usd * 12;
  return { plan, federation, total: plan + federation };
}
