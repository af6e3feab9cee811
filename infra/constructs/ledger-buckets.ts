import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** How long an export (statistics tables, CSV) stays downloadable. */
export const EXPORT_RETENTION = Duration.days(30);

/**
 * The S3 buckets, private, SSE-S3 encrypted, versioned, TLS only, with server access logs:
 * - documents: certificate PDFs and signed credentials, kept (an overwritten version stays for a year);
 * - exports: generated exports, expired after EXPORT_RETENTION.
 */
export class LedgerBuckets extends Construct {
  readonly accessLogs: s3.Bucket;
  readonly documents: s3.Bucket;
  readonly exports: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const secure = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
    } satisfies s3.BucketProps;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...secure,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    });
    this.documents = new s3.Bucket(this, 'Documents', {
      ...secure,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'expire-overwritten-versions', noncurrentVersionExpiration: Duration.days(365) },
      ],
    });
    this.exports = new s3.Bucket(this, 'Exports', {
      ...secure,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'exports/',
      lifecycleRules: [
        {
          id: 'expire-exports',
          expiration: EXPORT_RETENTION,
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
    });
  }
}
