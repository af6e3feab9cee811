import { createHash } from 'node:crypto';
import type { Commit } from './envelope.js';

/** JSON with object keys sorted at every depth (RFC 8785 in spirit), so the same commit always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/** The hash chain link of a commit: SHA-256 over the canonical JSON of everything but the hash itself. */
export function commitHash(commit: Omit<Commit, 'hash'>): string {
  const { stream, version, last, events, commandId, recordedAt, prevHash } = commit;
  return sha256(canonicalJson({ stream, version, last, events, commandId, recordedAt, prevHash }));
}
