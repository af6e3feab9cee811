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
/** A signing key an earlier deployment signed with: retained in the account, still listed in the JWKS. */
export interface RetiredSigningKey {
  keyArn: string;
  validFrom?: string;
  /** When it stopped signing: certificates signed before still verify with it. */
  validUntil: string;
}

export interface LedgerKeysProps {
  /**
   * Rotation (asymmetric KMS keys do not rotate): each rotation raises the generation, which makes a new key
   * (construct `Signing<n>`), and lists the key it replaces among the retired ones.
   * @default 1
   */
  signingGeneration?: number;
  /** @default none */
  retiredSigning?: readonly RetiredSigningKey[];
}

export class LedgerKeys extends Construct {
  readonly signing: kms.Key;
  /** The earlier signing keys, imported by ARN: the JWKS lists them, so whoever publishes it reads their public keys. */
  readonly retiredSigning: readonly { key: kms.IKey; spec: RetiredSigningKey }[];
  readonly vault: kms.Key;

  constructor(scope: Construct, id: string, props: LedgerKeysProps = {}) {
    super(scope, id);
    const generation = props.signingGeneration ?? 1;
    if (!Number.isInteger(generation) || generation < 1) throw new Error(`the signing key generation must be a positive integer, not ${generation}`);
    this.retiredSigning = (props.retiredSigning ?? []).map((spec, i) => ({ key: kms.Key.fromKeyArn(this, `RetiredSigning${i + 1}`, spec.keyArn), spec }));
    this.signing = new kms.Key(this, generation === 1 ? 'Signing' : `Signing${generation}`, {
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
