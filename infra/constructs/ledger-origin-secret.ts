import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_SECRET_HEADER } from '../../functions/shared/viewer-address.js';
import { acknowledge } from '../nag.js';
import type { LedgerFunctions } from './ledger-functions.js';

/** The rotation function's module (functions/edge/rotate-origin-secret.ts). */
export const ROTATION_MODULE = 'edge/rotate-origin-secret';
/** How often the origin secret changes. */
export const ORIGIN_SECRET_ROTATION = Duration.days(30);

/**
 * The secret CloudFront adds to every request it sends the API (origin custom header `x-origin-verify`): the API's
 * public routes believe CloudFront-Viewer-Address, hence rate-limit each viewer rather than each edge server, only
 * on requests that carry it (functions/shared/viewer-address.ts). Kept in Secrets Manager, rotated every 30 days by
 * a function that sets the distribution's header to the new value before making it current; the functions accept
 * the current, pending and previous values meanwhile.
 */
export class LedgerOriginSecret extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly header = ORIGIN_SECRET_HEADER;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `certification-ledger: the ${ORIGIN_SECRET_HEADER} header CloudFront sends the API, which makes its CloudFront-Viewer-Address trusted`,
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'value', passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
  }

  /** The header's value in the distribution: a dynamic reference CloudFormation resolves at deployment, never in the template. */
  headerValue(): string {
    return this.secret.secretValueFromJson('value').unsafeUnwrap();
  }

  /** The rotation function (from the registry, so it is bundled, logged and alarmed like the others) and its schedule. */
  rotateWith(functions: LedgerFunctions, distribution: cloudfront.IDistribution) {
    const fn = functions.get(ROTATION_MODULE, { timeout: Duration.seconds(30) });
    fn.handler.addEnvironment('DISTRIBUTION_ID', distribution.distributionId);
    this.secret.addRotationSchedule('Rotation', { rotationLambda: fn.handler, automaticallyAfter: ORIGIN_SECRET_ROTATION });
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution'],
        resources: [Stack.of(this).formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: distribution.distributionId })],
      }),
    );
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] }));
    acknowledge(fn.role, 'AwsSolutions-IAM5', 'secretsmanager:GetRandomPassword acts on no resource: IAM accepts only Resource "*" for it.', ['Resource::*']);
    return fn;
  }
}
