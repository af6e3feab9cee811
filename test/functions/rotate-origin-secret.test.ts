import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudFrontClient, type DistributionConfig, GetDistributionConfigCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { rotate, sendsValue, withOriginSecret } from '../../functions/edge/rotate-origin-secret.js';
import { ORIGIN_SECRET_HEADER } from '../../functions/shared/viewer-address.js';

const OLD = 'o'.repeat(48);
const NEW = 'n'.repeat(48);
const config = (value: string): DistributionConfig =>
  ({
    CallerReference: 'ref',
    Comment: 'certification-ledger',
    Enabled: true,
    Origins: {
      Quantity: 2,
      Items: [
        { Id: 'pages', DomainName: 'pages.s3.eu-west-3.amazonaws.com', CustomHeaders: { Quantity: 0, Items: [] } },
        { Id: 'api', DomainName: 'abc.execute-api.eu-west-3.amazonaws.com', CustomHeaders: { Quantity: 1, Items: [{ HeaderName: ORIGIN_SECRET_HEADER, HeaderValue: value }] } },
      ],
    },
  }) as unknown as DistributionConfig;

const clients = () => {
  const sm = mockClient(SecretsManagerClient);
  const cf = mockClient(CloudFrontClient);
  const rotation = { secrets: new SecretsManagerClient({ region: 'eu-west-3' }), cloudfront: new CloudFrontClient({ region: 'us-east-1' }), distributionId: 'E2EXAMPLE' };
  return {
    sm,
    cf,
    rotation,
    restore: () => {
      sm.restore();
      cf.restore();
    },
  };
};
const event = (Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret') => ({ SecretId: 'arn:secret', ClientRequestToken: 'v2', Step });

describe('rotating the origin secret (issue 18)', () => {
  it('sets the header on the origins that send it, and nothing else', () => {
    const { config: updated, changed } = withOriginSecret(config(OLD), NEW);
    expect(changed).toBe(1);
    expect(sendsValue(updated, NEW)).toBe(true);
    expect(updated.Origins!.Items![0]).toEqual(config(OLD).Origins!.Items![0]);
    expect(withOriginSecret({ ...config(OLD), Origins: { Quantity: 1, Items: [config(OLD).Origins!.Items![0]!] } }, NEW).changed).toBe(0);
  });

  it('createSecret draws a new value as AWSPENDING once', async () => {
    const { sm, rotation, restore } = clients();
    sm.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] } });
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'no pending yet', $metadata: {} }));
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: NEW });
    await rotate(rotation, event('createSecret'));
    expect(sm.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({
      SecretId: 'arn:secret',
      ClientRequestToken: 'v2',
      SecretString: JSON.stringify({ value: NEW }),
      VersionStages: ['AWSPENDING'],
    });
    restore();
  });

  it('setSecret updates the distribution with its ETag; testSecret fails while CloudFront sends another value', async () => {
    const { sm, cf, rotation, restore } = clients();
    sm.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] } });
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSPENDING' }).resolves({ SecretString: JSON.stringify({ value: NEW }) });
    cf.on(GetDistributionConfigCommand).resolves({ DistributionConfig: config(OLD), ETag: 'E1' });
    await expect(rotate(rotation, event('testSecret'))).rejects.toThrow(/does not send the pending/);
    await rotate(rotation, event('setSecret'));
    const update = cf.commandCalls(UpdateDistributionCommand)[0]!.args[0].input;
    expect(update.IfMatch).toBe('E1');
    expect(update.Id).toBe('E2EXAMPLE');
    expect(sendsValue(update.DistributionConfig!, NEW)).toBe(true);
    cf.on(GetDistributionConfigCommand).resolves({ DistributionConfig: config(NEW), ETag: 'E2' });
    await rotate(rotation, event('testSecret'));
    restore();
  });

  it('setSecret fails loudly when no origin sends the header (CloudFront would keep the old value)', async () => {
    const { sm, cf, rotation, restore } = clients();
    sm.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] } });
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ value: NEW }) });
    cf.on(GetDistributionConfigCommand).resolves({ DistributionConfig: { ...config(OLD), Origins: { Quantity: 0, Items: [] } }, ETag: 'E1' });
    await expect(rotate(rotation, event('setSecret'))).rejects.toThrow(/no origin/);
    expect(cf.commandCalls(UpdateDistributionCommand)).toHaveLength(0);
    restore();
  });

  it('finishSecret moves AWSCURRENT to the new version; a token not being rotated is refused', async () => {
    const { sm, rotation, restore } = clients();
    sm.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] } });
    await rotate(rotation, event('finishSecret'));
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)[0]!.args[0].input).toEqual({
      SecretId: 'arn:secret',
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: 'v2',
      RemoveFromVersionId: 'v1',
    });
    sm.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { v1: ['AWSCURRENT'] } });
    await expect(rotate(rotation, event('finishSecret'))).rejects.toThrow(/not being rotated/);
    restore();
  });
});
