/**
 * Who signed an AWS request and for which service: the credential scope of SigV4, in the Authorization
 * header or, for a pre-signed URL, in the query string. The twin hands each function an access key id that
 * names it, so the scope is all it needs; signatures are not verified (nothing but the twin's own processes
 * reach the gateway, on loopback).
 */
export interface SignedScope {
  accessKeyId: string;
  date: string;
  region: string;
  /** The signing name: `dynamodb`, `s3`, `kms`, `states`, `scheduler`, `ses`, … */
  service: string;
}

const SCOPE = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

function scopeOf(credential: string | null | undefined): SignedScope | undefined {
  const m = credential ? SCOPE.exec(credential.trim()) : null;
  return m ? { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! } : undefined;
}

export function signedScope(authorization: string | undefined, url: URL): SignedScope | undefined {
  if (authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
    const credential = /Credential=([^,\s]+)/.exec(authorization)?.[1];
    return scopeOf(credential);
  }
  return scopeOf(url.searchParams.get('X-Amz-Credential'));
}
