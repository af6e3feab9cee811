import { describe, expect, it } from 'vitest';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import { followers, projections } from '../../functions/projections/index.js';
import { Projector } from '../../functions/projections/projector.js';
import { computeStatistics, readStatisticsFacts } from '../../functions/statistics/statistics-report.js';
import { prng } from '../bench/generated-streams.js';
import { generateHistory, historyStore } from '../bench/rebuild-history.js';

// The rebuild bench's history (sessions of 8 to 16 candidates, their assessments, deliberations, PVs, outcomes and
// surveys), small: the rebuild's fold, page by page, must write what the live projector writes from the change
// feed delivering the same commits duplicated and out of order.

type Dump = ReturnType<MemoryReadModelStore['dump']>;

/** Index items the feed overwrote with null (tombstones, which readers skip) that a rebuild never wrote are left out. */
const withoutTombstonesOnlyIn = (incremental: Dump, rebuilt: Dump): Dump =>
  Object.fromEntries(
    Object.entries(incremental)
      .map(([partition, items]) => [partition, items.filter((item) => item.doc !== null || (rebuilt[partition] ?? []).some((r) => r.key === item.key))] as const)
      .filter(([, items]) => items.length),
  );

describe('the rebuild of a generated history', () => {
  it('writes the documents, positions and statistics the live projector gives from a feed with duplicates and reordering', async () => {
    // Given a history of realistic shape and its commits delivered in a shuffled order, a fifth of them twice
    const history = await generateHistory(6_000, 15_2026);
    const store = historyStore(history);
    const random = prng(7);
    const feed = history.commits.flatMap((c) => (random() < 0.2 ? [c, c] : [c]));
    for (let i = feed.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [feed[i], feed[j]] = [feed[j]!, feed[i]!];
    }
    // When the live projector applies the feed, and the rebuild folds the scan in pages of 1 MB and of 7 commits
    const live = new MemoryReadModelStore();
    const projector = new Projector(store, live, projections, followers);
    for (const commit of feed) await projector.apply(commit);
    const rebuilt = new MemoryReadModelStore();
    const events = await new Projector(store, rebuilt, projections, followers).rebuildAll();
    const smallPages = new MemoryReadModelStore();
    await new Projector(store, smallPages, projections, followers).rebuildAll(undefined, 7);

    // Then every event is counted, and the documents are the same, each at the same position
    expect(events).toBe(history.events);
    const expected = rebuilt.dump();
    expect(Object.keys(expected).filter((p) => p.startsWith('statistics-session#')).length).toBeGreaterThan(10);
    expect(withoutTombstonesOnlyIn(live.dump(), expected)).toEqual(expected);
    expect(withoutTombstonesOnlyIn(smallPages.dump(), expected)).toEqual(expected);
    // And the statistics read from either are the same rows at the same position
    const fromLive = readStatisticsFacts(live);
    const fromRebuild = readStatisticsFacts(rebuilt);
    expect(fromRebuild.position).toBe(fromLive.position);
    expect(computeStatistics(fromRebuild.facts)).toEqual(computeStatistics(fromLive.facts));
  }, 120_000);
});
