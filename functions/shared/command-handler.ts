import { encodeEvent, decodeEvent, type LedgerEvent, type RecordedEvent } from '../../events/registry.js';
import type { Commit, StoredEvent } from '../../events/envelope.js';
import { GENESIS_HASH } from '../../events/envelope.js';
import type { Decider } from '../../domain/decider.js';
import { ConcurrencyError, type EventStore } from '../ports/event-store.js';
import { uuidFromSeed } from './ids.js';

export interface CommandContext {
  /** Idempotency key of this command: a retry with the same id is recognised by the event store. */
  commandId: string;
  /** `<role>:<sub>` of the caller, or `system:<component>`. */
  actor: string;
  correlationId: string;
  causationId?: string;
  now: string;
}

export interface CommandResult<S> {
  events: RecordedEvent[];
  state: S;
  version: number;
  /** Hash of the stream's head after the command. */
  head: string;
  /** The command had already been committed by an earlier attempt. */
  duplicate: boolean;
}

interface CachedStream {
  version: number;
  head: string;
  state: unknown;
}

/**
 * Read, fold, decide, append. Stream states are cached per process (as Equinox does): a stale cache entry
 * costs a conflict, after which the stream is read again and the decision retried; a decision that appends nothing
 * (a refusal, a no-op) is taken again on a fresh read before it is answered, since no conflict would correct it.
 */
export class CommandHandler {
  private readonly cache = new Map<string, CachedStream>();

  constructor(
    private readonly store: EventStore,
    private readonly options: { cacheSize?: number; retries?: number } = {},
  ) {}

  async handle<C, S, E extends LedgerEvent>(
    decider: Decider<C, S, E>,
    stream: string,
    command: C,
    ctx: CommandContext,
    options: { assumeEmpty?: boolean; retries?: number } = {},
  ): Promise<CommandResult<S>> {
    const retries = options.retries ?? this.options.retries ?? 3;
    let current = options.assumeEmpty ? this.empty(decider) : this.cache.get(stream);
    for (let attempt = 0; ; attempt++) {
      const cached = current !== undefined && !options.assumeEmpty;
      current ??= await this.load(decider, stream);
      const state = current.state as S;
      let decided: E[];
      try {
        decided = decider.decide(command, state);
      } catch (refusal) {
        // A refusal or a no-op appends nothing, so a stale cache would never meet the conflict that corrects it: one
        // read of the stream decides again (another instance may have freed what this one remembers as taken).
        if (!cached) throw refusal;
        this.cache.delete(stream);
        current = undefined;
        continue;
      }
      if (decided.length === 0) {
        if (cached) {
          this.cache.delete(stream);
          current = undefined;
          continue;
        }
        return { events: [], state, version: current.version, head: current.head, duplicate: false };
      }
      try {
        const { commit, duplicate } = await this.store.append({
          stream,
          expectedVersion: current.version,
          prevHash: current.head,
          events: decided.map((event, i) => this.envelope(event, ctx, i)),
          commandId: ctx.commandId,
          recordedAt: ctx.now,
        });
        if (duplicate) {
          this.cache.delete(stream);
          const reloaded = await this.load(decider, stream);
          return { events: recordedEvents(commit), state: reloaded.state as S, version: reloaded.version, head: reloaded.head, duplicate };
        }
        const next = decided.reduce(decider.evolve, state);
        this.remember(stream, { version: commit.last, head: commit.hash, state: next });
        return { events: recordedEvents(commit), state: next, version: commit.last, head: commit.hash, duplicate };
      } catch (error) {
        this.cache.delete(stream);
        if (!(error instanceof ConcurrencyError) || attempt >= retries) throw error;
        current = undefined;
      }
    }
  }

  /** The current state of a stream, for reads that need the decider's view (no append). */
  async state<C, S, E extends LedgerEvent>(decider: Decider<C, S, E>, stream: string): Promise<{ state: S; version: number }> {
    const loaded = await this.load(decider, stream);
    return { state: loaded.state as S, version: loaded.version };
  }

  private empty<C, S, E extends LedgerEvent>(decider: Decider<C, S, E>): CachedStream {
    return { version: 0, head: GENESIS_HASH, state: decider.initialState };
  }

  private async load<C, S, E extends LedgerEvent>(decider: Decider<C, S, E>, stream: string): Promise<CachedStream> {
    const slice = await this.store.read(stream);
    const state = slice.commits.flatMap(recordedEvents).reduce((s, e) => decider.evolve(s, e as unknown as E), decider.initialState);
    const loaded = { version: slice.version, head: slice.head, state };
    this.remember(stream, loaded);
    return loaded;
  }

  private remember(stream: string, entry: CachedStream) {
    const limit = this.options.cacheSize ?? 10_000;
    this.cache.delete(stream);
    if (this.cache.size >= limit) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(stream, entry);
  }

  private envelope(event: LedgerEvent, ctx: CommandContext, index: number): StoredEvent {
    return {
      // Deterministic, so a retried command writes byte-identical events.
      eventId: uuidFromSeed(`${ctx.commandId}/${index}`),
      ...encodeEvent(event),
      meta: {
        occurredAt: ctx.now,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        causationId: ctx.causationId ?? ctx.commandId,
      },
    };
  }
}

/** Decodes a commit's events with their stream versions. */
export function recordedEvents(commit: Commit): RecordedEvent[] {
  return commit.events.map((stored, i) => {
    // Fields written out rather than spread: a spread of the decoded event is several times slower (rebuild bench).
    const { type, data } = decodeEvent(stored);
    return { type, data, eventId: stored.eventId, meta: stored.meta, stream: commit.stream, version: commit.version + i } as RecordedEvent;
  });
}
