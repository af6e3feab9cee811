import type { Commit } from '../../events/envelope.js';
import { recordedEvents } from '../shared/command-handler.js';
import { ConcurrencyError, type EventStore } from '../ports/event-store.js';
import type { ReadModelStore } from '../ports/read-model-store.js';
import type { DocumentProjection } from './projection.js';

/**
 * Applies commits from the change feed to every projection. Each document keeps the last version applied:
 * a duplicate is ignored, the next commit is applied, and a gap is filled by reading the missing commits from
 * the event store. So at-least-once, reordered and duplicated delivery all converge to the same documents.
 */
export class Projector {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly projections: readonly DocumentProjection<unknown>[],
  ) {}

  async apply(commit: Commit): Promise<void> {
    for (const projection of this.projections) {
      const key = projection.keyOf(commit.stream);
      if (key !== undefined) await this.applyTo(projection, key, commit);
    }
  }

  private async applyTo(projection: DocumentProjection<unknown>, key: string, commit: Commit, attempt = 0): Promise<void> {
    const current = await this.readModels.get<unknown>(projection.model, key);
    const position = current?.position ?? 0;
    if (commit.last <= position) return;
    const commits = commit.version === position + 1 ? [commit] : (await this.store.read(commit.stream, position + 1)).commits;
    let doc = current?.doc;
    let last = position;
    for (const c of commits) {
      if (c.last <= position) continue;
      for (const event of recordedEvents(c)) doc = projection.evolve(doc, event);
      last = c.last;
    }
    if (last === position) return;
    try {
      await this.readModels.put(projection.model, key, doc ?? null, last, position);
    } catch (error) {
      // Another projector instance moved this document meanwhile: start again from what it wrote.
      if (error instanceof ConcurrencyError && attempt < 5) return this.applyTo(projection, key, commit, attempt + 1);
      throw error;
    }
  }

  /** Rebuild: every commit of the ledger, stream by stream, into (fresh) read models. */
  async replayAll(): Promise<number> {
    let count = 0;
    for await (const commit of this.store.scan()) {
      await this.apply(commit);
      count += commit.events.length;
    }
    return count;
  }
}
