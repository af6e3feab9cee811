import { createHash, randomUUID } from 'node:crypto';

/** A UUID-shaped id taken from a hash, so the same seed always yields the same id. */
export function uuidFromSeed(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x80; // version 8: custom (RFC 9562)
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Ids for what a command creates. Derived from the command id, so a retried command (same Idempotency-Key)
 * creates the same ids and collides with its own first commit instead of creating a twin.
 */
export function idsFor(commandId: string) {
  let n = 0;
  return { next: () => uuidFromSeed(`${commandId}#${n++}`) };
}

export const newCommandId = () => randomUUID();
