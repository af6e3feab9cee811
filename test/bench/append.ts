// Appends through the full command path (read/cache, fold, decide, encode, hash, one conditional PutItem)
// against raw conditional PutItems of the same commit items, on the same in-process dynalite, in one run.
import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { commitToItem, DynamoEventStore, ensureEventsTable, buildCommit } from '../../functions/adapters/dynamodb-event-store.js';
import { CommandHandler } from '../../functions/shared/command-handler.js';
import { GENESIS_HASH } from '../../events/envelope.js';
import { startDynalite } from '../support/dynalite.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 1500);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 16);
const dynamo = await startDynalite();
await ensureEventsTable(dynamo.client, 'bench-events');
await ensureEventsTable(dynamo.client, 'bench-raw');
const store = new DynamoEventStore(dynamo.client, 'bench-events');
const handler = new CommandHandler(store);
const now = '2025-09-01T08:00:00.000Z';

async function pool(count: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

// Each stream: a registration (new stream, fresh id) then an erasure (existing stream): two appends.
async function commandPath(prefix: string, streams: number) {
  await pool(streams, async (i) => {
    const candidateId = `${prefix}-${i}`;
    const ctx = (n: number) => ({ commandId: randomUUID(), actor: 'centre:bench', correlationId: `${candidateId}-${n}`, now });
    await handler.handle(candidate, candidateStream(candidateId), { type: 'RegisterCandidate', candidateId, centreId: 'bench' }, ctx(1), { assumeEmpty: true });
    await handler.handle(candidate, candidateStream(candidateId), { type: 'ErasePersonalData', candidateId, erasedBy: 'dreets:bench', legalBasis: 'RGPD art. 17' }, ctx(2));
  });
  return streams * 2;
}

// The same commit items, put directly with the same condition.
async function rawPuts(prefix: string, streams: number) {
  const items = Array.from({ length: streams }, (_, i) => {
    const stream = candidateStream(`${prefix}-${i}`);
    const meta = { occurredAt: now, actor: 'centre:bench', correlationId: 'c', causationId: 'c' };
    const first = buildCommit({
      stream,
      expectedVersion: 0,
      prevHash: GENESIS_HASH,
      commandId: randomUUID(),
      recordedAt: now,
      events: [{ eventId: randomUUID(), type: 'CandidateRegistered', schemaVersion: 1, data: { candidateId: `${prefix}-${i}`, registeredBy: 'bench' }, meta }],
    });
    const second = buildCommit({
      stream,
      expectedVersion: 1,
      prevHash: first.hash,
      commandId: randomUUID(),
      recordedAt: now,
      events: [
        {
          eventId: randomUUID(),
          type: 'PersonalDataErased',
          schemaVersion: 1,
          data: { candidateId: `${prefix}-${i}`, erasedBy: 'dreets:bench', legalBasis: 'RGPD art. 17' },
          meta,
        },
      ],
    });
    return [commitToItem(first), commitToItem(second)];
  });
  await pool(streams, async (i) => {
    for (const Item of items[i]!) {
      await dynamo.client.send(new PutItemCommand({ TableName: 'bench-raw', Item, ConditionExpression: 'attribute_not_exists(pk)' }));
    }
  });
  return streams * 2;
}

async function timed(label: string, run: () => Promise<number>) {
  const t0 = performance.now();
  const n = await run();
  const seconds = (performance.now() - t0) / 1000;
  const rate = n / seconds;
  console.log(`${label}: ${n} appends in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} appends/s`);
  return rate;
}

console.log(`append bench: ${STREAMS} streams × 2 appends, ${WORKERS} concurrent writers, in-process dynalite`);
await commandPath('warm', 200);
await rawPuts('warm', 200);
// Alternate the two so neither gets a warmer process; keep each side's best round.
const command: number[] = [];
const raw: number[] = [];
for (let round = 1; round <= 2; round++) {
  raw.push(await timed(`raw PutItem (round ${round})`, () => rawPuts(`r${round}`, STREAMS)));
  command.push(await timed(`command path (round ${round})`, () => commandPath(`c${round}`, STREAMS)));
}
const commandRate = Math.max(...command);
const rawRate = Math.max(...raw);
console.log(`command path: ${commandRate.toFixed(0)} appends/s`);
console.log(`raw PutItem: ${rawRate.toFixed(0)} puts/s`);
await dynamo.stop();
console.log(`ratio: ${(commandRate / rawRate).toFixed(3)}`);
