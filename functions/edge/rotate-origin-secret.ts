import type { CloudFrontClient, DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from '../../events/zod.js';
import { rotationClients } from '../composition/edge-clients.js';
import { ORIGIN_SECRET_HEADER } from '../shared/viewer-address.js';

/** What Secrets Manager sends a rotation function, once per step. */
export const RotationEvent = z.object({
  SecretId: z.string().check(z.minLength(1)),
  ClientRequestToken: z.string().check(z.minLength(1)),
  Step: z.enum(['createSecret', 'setSecret', 'testSecret', 'finishSecret']),
});
export type RotationEvent = z.infer<typeof RotationEvent>;

/**
 * The distribution's configuration with every origin that sends the origin secret header set to `value`: the API's
 * origins (the pages' bucket has no such header). Returns how many origins were changed; nothing else is touched.
 */
export function withOriginSecret(config: DistributionConfig, value: string, header = ORIGIN_SECRET_HEADER): { config: DistributionConfig; changed: number } {
  let changed = 0;
  const origins = (config.Origins?.Items ?? []).map((origin) => {
    const headers = origin.CustomHeaders?.Items ?? [];
    if (!headers.some((h) => h.HeaderName?.toLowerCase() === header)) return origin;
    changed++;
    return {
      ...origin,
      CustomHeaders: { Quantity: headers.length, Items: headers.map((h) => (h.HeaderName?.toLowerCase() === header ? { ...h, HeaderValue: value } : h)) },
    };
  });
  return { config: { ...config, Origins: { Quantity: origins.length, Items: origins } }, changed };
}

/** The value of a version of the secret, `{"value": "…"}`. */
export const secretValueOf = (secretString: string | undefined): string => {
  const parsed = z.object({ value: z.string().check(z.minLength(32)) }).safeParse(JSON.parse(secretString ?? '{}'));
  if (!parsed.success) throw new Error('the origin secret is not {"value": "<at least 32 characters>"}');
  return parsed.data.value;
};

export interface RotationClients {
  secrets: Pick<SecretsManagerClient, 'send'>;
  cloudfront: Pick<CloudFrontClient, 'send'>;
  distributionId: string;
}

/**
 * Rotates the origin secret in the four steps of a Secrets Manager rotation: a new value (AWSPENDING); CloudFront
 * set to send it; checked there; then made AWSCURRENT. The API accepts the current, pending and previous values
 * (SecretsManagerOriginSecrets), so no request loses its viewer address while CloudFront deploys the change.
 */
export async function rotate(clients: RotationClients, event: RotationEvent): Promise<void> {
  const sm = await import('@aws-sdk/client-secrets-manager');
  const cf = await import('@aws-sdk/client-cloudfront');
  const { SecretId, ClientRequestToken: token } = event;
  const described = await clients.secrets.send(new sm.DescribeSecretCommand({ SecretId }));
  const stages = described.VersionIdsToStages?.[token];
  if (!stages) throw new Error(`version ${token} of the origin secret is not being rotated`);
  const pending = async () => secretValueOf((await clients.secrets.send(new sm.GetSecretValueCommand({ SecretId, VersionId: token, VersionStage: 'AWSPENDING' }))).SecretString);

  switch (event.Step) {
    case 'createSecret': {
      if (stages.includes('AWSCURRENT')) return;
      try {
        await pending();
        return;
      } catch (error) {
        if (!(error instanceof sm.ResourceNotFoundException)) throw error;
      }
      const random = await clients.secrets.send(new sm.GetRandomPasswordCommand({ PasswordLength: 48, ExcludePunctuation: true, IncludeSpace: false }));
      await clients.secrets.send(
        new sm.PutSecretValueCommand({ SecretId, ClientRequestToken: token, SecretString: JSON.stringify({ value: random.RandomPassword }), VersionStages: ['AWSPENDING'] }),
      );
      return;
    }
    case 'setSecret': {
      const value = await pending();
      const current = await clients.cloudfront.send(new cf.GetDistributionConfigCommand({ Id: clients.distributionId }));
      const { config, changed } = withOriginSecret(current.DistributionConfig!, value);
      if (changed === 0) throw new Error(`no origin of distribution ${clients.distributionId} sends ${ORIGIN_SECRET_HEADER}`);
      await clients.cloudfront.send(new cf.UpdateDistributionCommand({ Id: clients.distributionId, IfMatch: current.ETag, DistributionConfig: config }));
      return;
    }
    case 'testSecret': {
      const value = await pending();
      const current = await clients.cloudfront.send(new cf.GetDistributionConfigCommand({ Id: clients.distributionId }));
      if (!sendsValue(current.DistributionConfig!, value)) {
        throw new Error(`distribution ${clients.distributionId} does not send the pending origin secret`);
      }
      return;
    }
    case 'finishSecret': {
      if (stages.includes('AWSCURRENT')) return;
      const currentVersion = Object.entries(described.VersionIdsToStages ?? {}).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
      await clients.secrets.send(
        new sm.UpdateSecretVersionStageCommand({
          SecretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          ...(currentVersion ? { RemoveFromVersionId: currentVersion } : {}),
        }),
      );
      return;
    }
  }
}

/** Whether every origin that sends the header sends `value`. */
export const sendsValue = (config: DistributionConfig, value: string, header = ORIGIN_SECRET_HEADER) => {
  const sent = (config.Origins?.Items ?? []).flatMap((o) => (o.CustomHeaders?.Items ?? []).filter((h) => h.HeaderName?.toLowerCase() === header));
  return sent.length > 0 && sent.every((h) => h.HeaderValue === value);
};

/** The Secrets Manager rotation function of the origin secret (infra/constructs/ledger-origin-secret.ts). */
export const handler = async (event: unknown) => rotate(rotationClients(), RotationEvent.parse(event));
