import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The KMS keys the functions use directly:
 * - signing: asymmetric ECC_NIST_P256 (ES256), SIGN_VERIFY, for the certificates' compact JWS. Asymmetric
 *   keys do not rotate: a new key is a new key, published with its validity window in the JWKS. Retained,
 *   so the public key of every certificate issued under it stays readable.
 * - vault: symmetric, rotated yearly, the master key that wraps each person's data key (envelope
 *   encryption, encryption context `personId`). Erasure destroys the wrapped data key, not this key.
 */
export class LedgerKeys extends Construct {
  readonly signing: kms.Key;
  readonly vault: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.signing = new kms.Key(this, 'Signing', {
      description: 'certification-ledger: signs certificates (ES256)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.vault = new kms.Key(this, 'Vault', {
      description: 'certification-ledger: wraps the per-person data keys of the person vault',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
  }
}
