// `npm run rebuild`: rebuilds every read model from the events table into a fresh table, then switches to it.
//
// Locally (this script, with `npm start` stopped: dynalite's data dir is one process's at a time), the data dir
// opened as every one-off command opens it (functions/local/one-off-command.ts):
//   1. scan the events table, in 4 parallel scan segments, page by page (never the whole table in memory), and apply
//      every stream, in order, to every projection of functions/projections/ into a new table
//      `ledger-read-models-<time>` (Projector.rebuildAll: the projections' own evolve folded per page, the documents
//      written in batches, the followers as the change feed runs them);
//   2. switch: the data dir's `read-models-table` file (functions/local/read-model-table.ts), replaced atomically,
//      now names the new table; `startLocalLedger` reads it at start;
//   3. drop the previous table (`--keep-previous` keeps it, for comparing or going back by editing the file).
// The rebuilt documents are identical to the incrementally maintained ones (test/e2e/statistics.test.ts).
// Only the read models are replaced: the sign-in records (the tokens of disabled accounts and erased people, refused)
// are not derived from events and keep their own table, `ledger-sign-ins`, untouched (test/e2e/sign-in-rebuild.test.ts).
//
// In AWS: the deployed state machine `<stack>-rebuild-read-models` (infra/workflows/rebuild-read-models.ts) replays
// the same projections into the idle one of the blue and green read-model tables, page by page in parallel scan
// segments; the switch is a deployment with `-c ledger:readModels=<colour>` (README, "Rebuilding the read models").
import { DeleteTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureKeyValueTable } from '../adapters/dynamodb-read-model-store.js';
import { CommandRefused, commandDataDir, openLocalOperations, runCommand } from './one-off-command.js';
import { activeReadModelTable, switchReadModelTable } from './read-model-table.js';
import { TABLES } from './runtime.js';

export interface RebuildResult {
  previous: string;
  active: string;
  events: number;
  seconds: number;
}

export async function rebuildLocalReadModels(options: { dataDir: string; keepPrevious?: boolean; now?: () => Date; segments?: number }): Promise<RebuildResult> {
  const { dataDir } = options;
  if (!existsSync(join(dataDir, 'dynamodb'))) throw new CommandRefused(`no ledger data in ${dataDir}: nothing to rebuild`, 2);
  const ops = await openLocalOperations(dataDir);
  const client = ops.dynamo;
  try {
    const started = performance.now();
    const previous = activeReadModelTable(dataDir, TABLES.readModels);
    const stamp = (options.now?.() ?? new Date())
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    let active = `${TABLES.readModels}-${stamp}`;
    if (active === previous) active = `${active}-${Date.now().toString(36)}`;
    await ensureKeyValueTable(client, active);
    // The ledger in disjoint scan segments, replayed side by side (a stream, hence each document, is in one segment).
    const projector = ops.projectorInto(active);
    const segments = options.segments ?? 4;
    // The table is new: each page is folded in memory and its documents written in one batch (Projector.rebuildAll).
    const counts = await Promise.all(Array.from({ length: segments }, (_, index) => projector.rebuildAll({ index, total: segments })));
    const events = counts.reduce((a, b) => a + b, 0);
    switchReadModelTable(dataDir, active);
    if (!options.keepPrevious) {
      try {
        await client.send(new DeleteTableCommand({ TableName: previous }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    }
    return { previous, active, events, seconds: (performance.now() - started) / 1000 };
  } finally {
    await ops.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCommand(async () => {
    const dataDir = commandDataDir();
    const keepPrevious = process.argv.includes('--keep-previous');
    const result = await rebuildLocalReadModels({ dataDir, keepPrevious });
    console.log(`rebuilt every read model from ${result.events} events in ${result.seconds.toFixed(1)} s into ${result.active}`);
    console.log(`switched from ${result.previous}${keepPrevious ? ' (kept)' : ' (dropped)'}; data dir ${dataDir}`);
    return 0;
  });
}
