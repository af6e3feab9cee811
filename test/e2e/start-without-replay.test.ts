import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { TABLES } from '../../functions/local/runtime.js';
import { candidateRecord } from '../../functions/projections/candidate-record.js';
import { readDoc } from '../../functions/projections/projection.js';
import { type LocalLedger, startTestLedger } from '../support/local-ledger.js';

// `npm start` on a data dir resumes the change feed from its journal's checkpoint: the events table is read for
// what the last run left undelivered, never scanned, so start does not grow with the ledger. Counted, not timed:
// every request the runtime's DynamoDB clients send to the events table while it starts.
const dataDir = mkdtempSync(join(tmpdir(), 'ledger-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function register(ledger: LocalLedger, from: number, count: number) {
  for (let i = from; i < from + count; i++) {
    const candidateId = `start-${i}`;
    await ledger.deps.commands.handle(
      candidate,
      candidateStream(candidateId),
      { type: 'RegisterCandidate', candidateId, centreId: 'centre-start', centre: { centreId: 'centre-start' } },
      { commandId: `register-${candidateId}`, actor: 'centre:centre-start', correlationId: candidateId, now: ledger.clock.now() },
    );
  }
  await ledger.settle();
}

/** Starts the runtime on the data dir, counting its requests to the events table by operation. */
async function startCounting() {
  const send = vi.spyOn(DynamoDBClient.prototype, 'send');
  try {
    const ledger = await startTestLedger({ dataDir });
    const reads: Record<string, number> = {};
    for (const [command] of send.mock.calls) {
      const input = (command as { input?: { TableName?: string } }).input;
      if (input?.TableName !== TABLES.events) continue;
      const name = command.constructor.name;
      reads[name] = (reads[name] ?? 0) + 1;
    }
    return { ledger, reads };
  } finally {
    send.mockRestore();
  }
}

describe('npm start resumes the change feed from its checkpoint', () => {
  it('reads the same few items of the events table at start whatever the size of the ledger, and never scans it', async () => {
    const first = await startCounting();
    // A data dir without a checkpoint (new, or from before the journal) is caught up once from the whole table.
    expect(first.reads.ScanCommand).toBe(1);
    expect(first.ledger.catchUp.from).toBe('whole-table');
    let ledger = first.ledger;
    await register(ledger, 0, 20);
    await ledger.stop();

    const small = await startCounting();
    await register(small.ledger, 20, 200);
    await small.ledger.stop();

    const large = await startCounting();
    expect(large.reads.ScanCommand ?? 0).toBe(0);
    expect(small.reads.ScanCommand ?? 0).toBe(0);
    // What `npm start` prints: resumed from the checkpoint, nothing left undelivered by a clean stop.
    expect(large.ledger.catchUp).toEqual({ from: 'checkpoint', commits: 0 });
    // Ten times the commits, the same reads: what start reads does not depend on the ledger.
    expect(large.reads).toEqual(small.reads);
    expect(Object.values(large.reads).reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // the referential's streams
    ledger = large.ledger;
    // And the ledger is all there: the read models of every registration made before the stops.
    const record = await readDoc(ledger.deps.readModels, candidateRecord, 'start-219');
    expect(record).toBeDefined();
    await ledger.stop();
  }, 120_000);
});
