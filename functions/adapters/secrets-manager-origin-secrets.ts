import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { OriginSecrets } from '../ports/origin-secrets.js';

/** How long a function keeps the values it read: a rotation is seen within this time (and CloudFront takes minutes). */
const CACHE_MS = 5 * 60_000;

/** The stages a request may carry: the rotation Lambda sets CloudFront to AWSPENDING before it becomes AWSCURRENT. */
const STAGES = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'] as const;

/** The origin secret in Secrets Manager (`{"value": "…"}`), read once per CACHE_MS per function instance. */
export class SecretsManagerOriginSecrets implements OriginSecrets {
  private cached?: { at: number; values: Promise<readonly string[]> };

  constructor(
    private readonly client: Pick<SecretsManagerClient, 'send'>,
    private readonly secretId: string,
    private readonly now: () => number = Date.now,
  ) {}

  accepted(): Promise<readonly string[]> {
    if (this.cached && this.now() - this.cached.at < CACHE_MS) return this.cached.values;
    const values = this.read();
    this.cached = { at: this.now(), values };
    // A failed read is not kept: the next request tries again (meanwhile no viewer address is trusted).
    values.catch(() => {
      this.cached = undefined;
    });
    return values;
  }

  private async read(): Promise<readonly string[]> {
    const { GetSecretValueCommand, ResourceNotFoundException } = await import('@aws-sdk/client-secrets-manager');
    const values = await Promise.all(
      STAGES.map(async (VersionStage) => {
        try {
          const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId, VersionStage }));
          const value = (JSON.parse(out.SecretString ?? '{}') as { value?: unknown }).value;
          return typeof value === 'string' && value.length >= 32 ? [value] : [];
        } catch (error) {
          // No pending or previous version outside a rotation.
          if (error instanceof ResourceNotFoundException && VersionStage !== 'AWSCURRENT') return [];
          throw error;
        }
      }),
    );
    return values.flat();
  }
}
