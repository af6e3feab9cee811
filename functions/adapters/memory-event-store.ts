import { createHash } from 'node:crypto';
import type { Commit } from '../../events/envelope.js';
import { GENESIS_HASH } from '../../events/envelope.js';
import {
  ConcurrencyError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type ScanPage,
  type ScanPageRequest,
  type ScanSegment,
  type StreamSlice,
} from '../ports/event-store.js';
import { buildCommit } from './dynamodb-event-store.js';
import { verifyChain } from './hash-chain.js';

export class MemoryEventStore implements EventStore {
  private readonly streams = new Map<string, Commit[]>();

  constructor(private readonly onCommitted?: (commit: Commit) => void) {}

  async append(request: AppendRequest): Promise<AppendResult> {
    const commit = buildCommit(request);
    const commits = this.streams.get(request.stream) ?? [];
    const clash = commits.find((c) => c.version === commit.version);
    if (clash) {
      if (clash.commandId === request.commandId) return { commit: structuredClone(clash), duplicate: true };
      throw new ConcurrencyError(request.stream, request.expectedVersion);
    }
    commits.push(structuredClone(commit));
    commits.sort((a, b) => a.version - b.version);
    this.streams.set(request.stream, commits);
    this.onCommitted?.(structuredClone(commit));
    return { commit, duplicate: false };
  }

  async read(stream: string, fromVersion = 1): Promise<StreamSlice> {
    const all = this.streams.get(stream) ?? [];
    const commits = structuredClone(all.filter((c) => c.last >= fromVersion));
    verifyChain(commits);
    const head = all.at(-1);
    return { commits, version: head?.last ?? 0, head: head?.hash ?? GENESIS_HASH };
  }

  async *scan(segment?: ScanSegment): AsyncIterable<Commit> {
    for (const stream of [...this.streams.keys()].sort()) {
      if (segment && segmentOf(stream, segment.total) !== segment.index) continue;
      yield* structuredClone(this.streams.get(stream)!);
    }
  }

  async scanPage({ segment, after, limit = 100 }: ScanPageRequest): Promise<ScanPage> {
    const commits: Commit[] = [];
    for await (const commit of this.scan(segment)) {
      if (after && (commit.stream < after.stream || (commit.stream === after.stream && commit.version <= after.version))) continue;
      if (commits.length === limit) return { commits, next: { stream: commits.at(-1)!.stream, version: commits.at(-1)!.version } };
      commits.push(commit);
    }
    return { commits };
  }

  /** Test hook: rewrite a stored commit as an attacker with table access would. */
  tamper(stream: string, version: number, change: (commit: Commit) => void): void {
    const commit = this.streams.get(stream)?.find((c) => c.version === version);
    if (commit) change(commit);
  }
}

/** A stream's segment: a stable hash of its id, as DynamoDB spreads partitions over parallel scan segments. */
function segmentOf(stream: string, total: number): number {
  return createHash('sha256').update(stream).digest().readUInt32BE(0) % total;
}
