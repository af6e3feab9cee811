// What the benches' generated ledgers are written with: a seeded PRNG (the same ledger on every run) and streams of
// stored commits, hash-chained as the event store would chain them (the set-up is not what a bench measures).
import { buildCommit } from '../../functions/adapters/dynamodb-event-store.js';
import { GENESIS_HASH, type Commit, type StoredEvent } from '../../events/envelope.js';
import type { LedgerEvent } from '../../events/registry.js';

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Streams built commit by commit: each commit follows its stream's head, with a fresh command id (`<prefix>-<n>`)
 * and its events encoded by `encode` (the registry's encoder validates; a bench that decodes every event later may
 * only stamp the schema version).
 */
export function generatedStreams(commandPrefix: string, encode: (event: LedgerEvent) => Pick<StoredEvent, 'type' | 'schemaVersion' | 'data'>) {
  const streams = new Map<string, Commit[]>();
  let seq = 0;
  let events = 0;
  return {
    streams,
    /** How many events the streams hold so far. */
    get events() {
      return events;
    },
    commit(stream: string, at: string, actor: string, decided: LedgerEvent[]) {
      const commits = streams.get(stream) ?? [];
      const head = commits.at(-1);
      const commandId = `${commandPrefix}-${(++seq).toString(36)}`;
      const meta = { occurredAt: at, actor, correlationId: commandId, causationId: commandId };
      const stored: StoredEvent[] = decided.map((event, i) => ({ eventId: `${commandId}-${i}`, ...encode(event), meta }));
      commits.push(buildCommit({ stream, expectedVersion: head?.last ?? 0, prevHash: head?.hash ?? GENESIS_HASH, events: stored, commandId, recordedAt: at }));
      streams.set(stream, commits);
      events += decided.length;
    },
  };
}
