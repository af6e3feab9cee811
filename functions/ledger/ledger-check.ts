import { createHash } from 'node:crypto';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { canonicalJson } from '../../events/canonical-json.js';
import { GENESIS_HASH, type Commit } from '../../events/envelope.js';
import { itemToCommit } from '../adapters/dynamodb-event-store.js';
import { findBrokenLink } from '../adapters/hash-chain.js';
import type { EventStore } from '../ports/event-store.js';
import type { Signer } from '../ports/signer.js';

/** A stored commit as read raw: decoded, or what is left of it when it no longer decodes. */
export type RawCommit = { stream: string; version: number; commit?: Commit; error?: string };

export interface BrokenCommit {
  stream: string;
  version: number;
  reason: string;
}

export interface StreamHead {
  stream: string;
  version: number;
  hash: string;
}

export interface LedgerCheck {
  streams: number;
  commits: number;
  events: number;
  /** Merkle root (RFC 6962 style) over every stream's head, streams in order. */
  root: string;
  broken: BrokenCommit[];
}

/**
 * Recomputes every stream's hash chain and names the first commit of each stream that does not hold: one whose
 * bytes no longer match its hash, one that does not follow the previous, or one that no longer decodes at all.
 * Then a Merkle root over the heads of the streams, which a signed checkpoint pins.
 */
export async function checkLedger(commits: AsyncIterable<RawCommit>): Promise<LedgerCheck> {
  const byStream = new Map<string, RawCommit[]>();
  let count = 0;
  let events = 0;
  for await (const raw of commits) {
    count++;
    events += raw.commit?.events.length ?? 0;
    const list = byStream.get(raw.stream) ?? [];
    list.push(raw);
    byStream.set(raw.stream, list);
  }
  const broken: BrokenCommit[] = [];
  const heads: StreamHead[] = [];
  for (const stream of [...byStream.keys()].sort()) {
    const list = byStream.get(stream)!.sort((a, b) => a.version - b.version);
    const unreadable = list.find((r) => !r.commit);
    const decoded = list.flatMap((r) => (r.commit ? [r.commit] : []));
    const first = decoded[0];
    const problem =
      unreadable && (!first || unreadable.version <= first.version)
        ? { stream, version: unreadable.version, reason: `commit ${stream}@${unreadable.version} no longer decodes: ${unreadable.error}` }
        : first && (first.version !== 1 || first.prevHash !== GENESIS_HASH)
          ? { stream, version: first.version, reason: `commit ${stream}@${first.version} does not start the stream` }
          : (findBrokenLink(decoded) ??
            (unreadable && { stream, version: unreadable.version, reason: `commit ${stream}@${unreadable.version} no longer decodes: ${unreadable.error}` }));
    if (problem) broken.push(problem);
    const last = decoded.at(-1);
    if (last) heads.push({ stream, version: last.last, hash: last.hash });
  }
  return { streams: byStream.size, commits: count, events, root: merkleRoot(heads.map((h) => canonicalJson(h))), broken };
}

const sha = (...parts: (string | Buffer)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** RFC 6962 Merkle tree hash: leaves SHA-256(0x00 ‖ leaf), nodes SHA-256(0x01 ‖ left ‖ right), split at the largest power of two. */
export function merkleRoot(leaves: readonly string[]): string {
  const tree = (items: readonly string[]): Buffer => {
    if (items.length === 0) return sha('');
    if (items.length === 1) return sha(Buffer.from([0]), items[0]!);
    let split = 1;
    while (split * 2 < items.length) split *= 2;
    return sha(Buffer.from([1]), tree(items.slice(0, split)), tree(items.slice(split)));
  };
  return tree(leaves).toString('hex');
}

/** Every commit item of the events table, read raw (an item that no longer decodes is still named). */
export async function* rawCommitsOfTable(client: DynamoDBClient, tableName: string): AsyncIterable<RawCommit> {
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const keys = unmarshall({ pk: item.pk ?? { S: '?' }, sk: item.sk ?? { N: '0' } }) as { pk: string; sk: number };
      try {
        yield { stream: keys.pk, version: keys.sk, commit: itemToCommit(item) };
      } catch (error) {
        yield { stream: keys.pk, version: keys.sk, error: (error as Error).message.split('\n')[0]! };
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** The commits of any EventStore (the in-memory one in tests). */
export async function* rawCommitsOfStore(store: EventStore): AsyncIterable<RawCommit> {
  for await (const commit of store.scan()) yield { stream: commit.stream, version: commit.version, commit };
}

/** The checkpoint: what was checked and the root, signed (compact JWS) so it can be compared later. */
export async function signCheckpoint(check: LedgerCheck, signer: Signer, at: string) {
  const checkpoint = { type: 'LedgerCheckpoint', at, streams: check.streams, commits: check.commits, events: check.events, root: check.root, intact: check.broken.length === 0 };
  const { jws, kid } = await signer.sign(new TextEncoder().encode(JSON.stringify(checkpoint)), { typ: 'ledger-checkpoint+jwt' });
  return { checkpoint, kid, jws };
}
