import { lazyClient } from './lazy-client.js';
import type { RotationClients } from '../edge/rotate-origin-secret.js';

/** The origin secret's rotation function: Secrets Manager, and CloudFront (a global service, signed in us-east-1). */
export function rotationClients(env: Record<string, string | undefined> = process.env): RotationClients {
  if (!env.DISTRIBUTION_ID) throw new Error('DISTRIBUTION_ID is not set');
  return {
    secrets: lazyClient(() => import('@aws-sdk/client-secrets-manager').then((sdk) => new sdk.SecretsManagerClient({}))),
    cloudfront: lazyClient(() => import('@aws-sdk/client-cloudfront').then((sdk) => new sdk.CloudFrontClient({ region: 'us-east-1' }))),
    distributionId: env.DISTRIBUTION_ID,
  };
}
