import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { lazyClient } from './lazy-client.js';

/** The Cognito client of the pre sign-up trigger (its event names the pool; it needs no other environment). */
export const cognitoClient = (): Pick<CognitoIdentityProviderClient, 'send'> =>
  lazyClient(() => import('@aws-sdk/client-cognito-identity-provider').then((sdk) => new sdk.CognitoIdentityProviderClient({})));
