// `npm run rebuild`: rebuilds every read model from the events table into a fresh table, then switches to it.
//
// Locally (this script, with `npm start` stopped: dynalite's data dir is one process's at a time):
//   1. scan the events table, in 4 parallel scan segments, page by page (never the whole table in memory), and apply
//      every stream, in order, to every projection of functions/projections/ into a new table
//      `ledger-read-models-<time>` (Projector.replayAll: the same code as the change feed);
//   2. switch: the data dir's `read-models-table` file (functions/local/read-model-table.ts), replaced atomically,
//      now names the new table; `startLocalLedger` reads it at start;
//   3. drop the previous table (`--keep-previous` keeps it, for comparing or going back by editing the file).
// The rebuilt documents are identical to the incrementally maintained ones (test/e2e/statistics.test.ts).
//
// In AWS: the deployed state machine `<stack>-rebuild-read-models` (infra/workflows/rebuild-read-models.ts) replays
// the same projections into the idle one of the blue and green read-model tables, page by page in parallel scan
// segments; the switch is a deployment with `-c ledger:readModels=<colour>` (README, "Rebuilding the read models").
import { DeleteTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import dynalite from 'dynalite';
import { ensureKeyValueTable } from '../adapters/dynamodb-read-model-store.js';
import { localOperations } from '../composition/operations.js';
import { resolveDataDir } from './data-dir.js';
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
  const path = join(dataDir, 'dynamodb');
  if (!existsSync(path)) throw new Error(`no ledger data in ${dataDir}: nothing to rebuild`);
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ops = localOperations(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, dataDir);
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
    const counts = await Promise.all(Array.from({ length: segments }, (_, index) => projector.replayAll(undefined, { index, total: segments })));
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
  } catch (error) {
    if (/lock/i.test(String((error as Error).message))) throw new Error(`the data dir ${dataDir} is in use: stop \`npm start\` first (${(error as Error).message})`);
    throw error;
  } finally {
    ops.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dataDir = resolveDataDir();
  // dynalite cannot open a data dir another process holds (LevelDB's lock), and says so by throwing from a callback.
  process.on('uncaughtException', (error) => {
    console.error(/Database is closed|LOCK/i.test(error.message) ? `the data dir ${dataDir} is in use: stop \`npm start\` first, then run the rebuild` : error);
    process.exit(1);
  });
  const result = await rebuildLocalReadModels({ dataDir, keepPrevious: process.argv.includes('--keep-previous') });
  console.log(`rebuilt every read model from ${result.events} events in ${result.seconds.toFixed(1)} s into ${result.active}`);
  console.log(`switched from ${result.previous}${process.argv.includes('--keep-previous') ? ' (kept)' : ' (dropped)'}; data dir ${dataDir}`);
}
