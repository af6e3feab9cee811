import type { EventStore } from '../../functions/ports/event-store.js';
import type { Commit } from '../../events/envelope.js';
import { encodeEvent, type LedgerEvent } from '../../events/registry.js';

let sequence = 0;

/**
 * Appends events as one commit at the head of a stream, bypassing the deciders: for read-model tests that need
 * facts the domain would take many commands to produce. The events are encoded (validated) as the handler does.
 */
export async function appendEvents(store: EventStore, stream: string, events: LedgerEvent[], at = '2022-01-03T08:00:00.000Z', actor = 'system:test'): Promise<Commit> {
  const { version, head } = await store.read(stream);
  const commandId = `test-${++sequence}`;
  const meta = { occurredAt: at, actor, correlationId: commandId, causationId: commandId };
  const { commit } = await store.append({
    stream,
    expectedVersion: version,
    prevHash: head,
    commandId,
    recordedAt: at,
    events: events.map((event, i) => ({ eventId: `${commandId}-${i}`, ...encodeEvent(event), meta })),
  });
  return commit;
}

/** Every commit the store holds (scan order). */
export async function allCommits(store: EventStore): Promise<Commit[]> {
  const commits: Commit[] = [];
  for await (const c of store.scan()) commits.push(c);
  return commits;
}
