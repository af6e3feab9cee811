import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** The header CloudFront adds to every request it sends the API (its origin custom header), with the secret's value. */
export const ORIGIN_SECRET_HEADER = 'x-origin-verify';
/** CloudFront's own header: the viewer's address and port, `198.51.100.10:46532` or `2001:db8::1:46532`. */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/** The IP of a CloudFront-Viewer-Address value (the port is after the last colon), or undefined if it is not one. */
export function viewerIpOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const colon = value.lastIndexOf(':');
  if (colon <= 0 || !/^\d{1,5}$/.test(value.slice(colon + 1))) return undefined;
  const ip = value.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return isIP(ip) ? ip : undefined;
}

const sameSecret = (given: string, accepted: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(accepted);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Whether a request carries one of the accepted origin secrets, that is, came through CloudFront. */
export function isFromCloudFront(headers: Record<string, string>, acceptedSecrets: readonly string[]): boolean {
  const given = headers[ORIGIN_SECRET_HEADER];
  return !!given && acceptedSecrets.some((secret) => secret.length > 0 && sameSecret(given, secret));
}

/**
 * The client's address as the rate limiter should count it. Behind CloudFront, API Gateway's source IP is an edge
 * server's, shared by thousands of viewers; CloudFront-Viewer-Address names the viewer, but anyone calling the API
 * directly can send that header too. So it is believed only on a request that carries the origin secret CloudFront
 * adds (one of the accepted values: during a rotation, the old and the new); otherwise the source IP stands.
 */
export function clientAddress(headers: Record<string, string>, sourceIp: string, acceptedSecrets: readonly string[]): string {
  if (!isFromCloudFront(headers, acceptedSecrets)) return sourceIp;
  return viewerIpOf(headers[VIEWER_ADDRESS_HEADER]) ?? sourceIp;
}
