import { createHash } from 'node:crypto';
import type { Commit } from './envelope.js';

/**
 * JSON with object keys sorted at every depth (RFC 8785 in spirit), so the same commit always hashes the same: keys
 * in UTF-16 code unit order (the default sort), undefined members left out, as JSON.stringify does. Built in one
 * string, with no intermediate arrays: every append hashes its commit, and every read of a stream checks its chain.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

export const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/** The hash chain link of a commit: SHA-256 over the canonical JSON of everything but the hash itself. */
export function commitHash(commit: Omit<Commit, 'hash'>): string {
  const { stream, version, last, events, commandId, recordedAt, prevHash } = commit;
  return sha256(canonicalJson({ stream, version, last, events, commandId, recordedAt, prevHash }));
}
