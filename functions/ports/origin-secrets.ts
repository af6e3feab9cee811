/**
 * The values of the secret CloudFront sends the API as an origin custom header (functions/shared/viewer-address.ts):
 * the current one and, while a rotation is under way, the pending and the previous one.
 */
export interface OriginSecrets {
  accepted(): Promise<readonly string[]>;
}
