import { base64url } from 'jose';

/**
 * An ECDSA signature as DER (`SEQUENCE { INTEGER r, INTEGER s }`, what KMS returns) turned into the JOSE form:
 * r and s as fixed-size big-endian integers, concatenated (RFC 7518 §3.4). `size` is 32 for P-256.
 */
export function derToJose(der: Uint8Array, size = 32): Uint8Array {
  let offset = 0;
  const fail = (why: string): never => {
    throw new Error(`not a DER ECDSA signature: ${why}`);
  };
  const readLength = () => {
    const first = der[offset++] ?? fail('truncated');
    if (first < 0x80) return first;
    const bytes = first & 0x7f;
    if (bytes === 0 || bytes > 2) fail('bad length');
    let length = 0;
    for (let i = 0; i < bytes; i++) length = (length << 8) | (der[offset++] ?? fail('truncated'));
    return length;
  };
  const readInteger = () => {
    if (der[offset++] !== 0x02) fail('expected an INTEGER');
    const length = readLength();
    let value = der.subarray(offset, offset + length);
    if (value.length !== length || length === 0) fail('truncated INTEGER');
    offset += length;
    while (value.length > 1 && value[0] === 0) value = value.subarray(1);
    if (value.length > size) fail('INTEGER too large');
    const out = new Uint8Array(size);
    out.set(value, size - value.length);
    return out;
  };
  if (der[offset++] !== 0x30) fail('expected a SEQUENCE');
  const length = readLength();
  if (offset + length !== der.length) fail('trailing or missing bytes');
  const r = readInteger();
  const s = readInteger();
  if (offset !== der.length) fail('trailing bytes in the SEQUENCE');
  const jose = new Uint8Array(size * 2);
  jose.set(r);
  jose.set(s, size);
  return jose;
}

const encoder = new TextEncoder();

/** A compact JWS built around a signing function that receives the JWS signing input and returns the JOSE signature. */
export async function compactJws(header: Record<string, unknown>, payload: Uint8Array, sign: (signingInput: Uint8Array) => Promise<Uint8Array>): Promise<string> {
  const signingInput = `${base64url.encode(encoder.encode(JSON.stringify(header)))}.${base64url.encode(payload)}`;
  const signature = await sign(encoder.encode(signingInput));
  return `${signingInput}.${base64url.encode(signature)}`;
}
