// Appends through the full command path (read/cache, fold, decide, encode, hash, one conditional PutItem)
// against raw conditional PutItems of the same commit items, on the same in-process dynalite, in one run; and on
// streams the process never read (one read and one write each) next to a bare Query + PutItem of the same items.
import { randomUUID } from 'node:crypto';
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { commitToItem, DynamoEventStore, ensureEventsTable, buildCommit, type CommitItem } from '../../functions/adapters/dynamodb-event-store.js';
import { CommandHandler } from '../../functions/shared/command-handler.js';
import { GENESIS_HASH } from '../../events/envelope.js';
import { startDynalite } from '../support/dynalite.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 1500);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 16);
// Each side keeps its best round: on a shared machine a round's wall time swings by a tenth or more.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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
    await handler.handle(candidate, candidateStream(candidateId), { type: 'RegisterCandidate', candidateId, centreId: 'bench', centre: { centreId: 'bench' } }, ctx(1), {
      assumeEmpty: true,
    });
    await handler.handle(
      candidate,
      candidateStream(candidateId),
      { type: 'ErasePersonalData', candidateId, erasedBy: 'dreets:bench', legalBasis: 'RGPD art. 17', actingRegion: 'Bretagne', candidateRegion: 'Bretagne' },
      ctx(2),
    );
  });
  return streams * 2;
}

// The commit items the command path writes for each stream: the registration, then the erasure.
function commitItems(prefix: string, streams: number) {
  return Array.from({ length: streams }, (_, i) => {
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
          data: { candidateId: `${prefix}-${i}`, erasedBy: 'dreets:bench', legalBasis: 'RGPD art. 17', actingRegion: 'Bretagne', candidateRegion: 'Bretagne' },
          meta,
        },
      ],
    });
    return [commitToItem(first), commitToItem(second)];
  });
}

// The same commit items, put directly with the same condition.
async function rawPuts(prefix: string, streams: number) {
  const items = commitItems(prefix, streams);
  await pool(streams, async (i) => {
    for (const Item of items[i]!) {
      await dynamo.client.send(new PutItemCommand({ TableName: 'bench-raw', Item, ConditionExpression: 'attribute_not_exists(pk)' }));
    }
  });
  return streams * 2;
}

// Streams this process has never read, as a fresh Lambda container meets them: registered beforehand (not timed),
// then one command each through a new command handler (empty cache), so each append first reads its stream.
// One read and one write per append: the physical limit is half the raw PutItem rate.
async function seedRegistrations(prefix: string, streams: number) {
  const items = commitItems(prefix, streams);
  await pool(streams, async (i) => {
    await dynamo.client.send(new PutItemCommand({ TableName: 'bench-events', Item: items[i]![0]!, ConditionExpression: 'attribute_not_exists(pk)' }));
  });
  return items;
}

// The physical minimum of an append to a stream never read, measured rather than assumed: a bare consistent Query
// of the stream, then a bare conditional PutItem of its next commit item (the same size as the command path's),
// same client, same table. Nothing decoded, checked or decided.
async function bareReadThenPut(items: CommitItem[][]) {
  await pool(items.length, async (i) => {
    const [registration, erasure] = items[i]!;
    await dynamo.client.send(
      new QueryCommand({ TableName: 'bench-events', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': registration!.pk! }, ConsistentRead: true }),
    );
    await dynamo.client.send(new PutItemCommand({ TableName: 'bench-events', Item: erasure!, ConditionExpression: 'attribute_not_exists(pk)' }));
  });
  return items.length;
}

async function uncachedCommandPath(prefix: string, streams: number) {
  const fresh = new CommandHandler(store);
  await pool(streams, async (i) => {
    const candidateId = `${prefix}-${i}`;
    const ctx = { commandId: randomUUID(), actor: 'dreets:bench', correlationId: `${candidateId}-2`, now };
    await fresh.handle(
      candidate,
      candidateStream(candidateId),
      { type: 'ErasePersonalData', candidateId, erasedBy: 'dreets:bench', legalBasis: 'RGPD art. 17', actingRegion: 'Bretagne', candidateRegion: 'Bretagne' },
      ctx,
    );
  });
  return streams;
}

// Wall-clock rates and the process's CPU time per append: the machine is shared, and CPU time is what another
// process's load does not inflate. Each side keeps its best rate and its lowest CPU time.
const cpuPerAppend = new Map<string, number>();
async function timed(label: string, run: () => Promise<number>) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const n = await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const micros = (cpu.user + cpu.system) / n;
  const side = label.replace(/ \(round \d+\)$/, '');
  cpuPerAppend.set(side, Math.min(micros, cpuPerAppend.get(side) ?? Number.POSITIVE_INFINITY));
  const rate = n / seconds;
  console.log(`${label}: ${n} appends in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} appends/s, ${micros.toFixed(0)} µs CPU each`);
  return rate;
}

console.log(`append bench: ${STREAMS} streams × 2 appends, ${WORKERS} concurrent writers, ${ROUNDS} rounds, in-process dynalite`);
await commandPath('warm', 200);
await rawPuts('warm', 200);
// Alternate the two so neither gets a warmer process; keep each side's best round.
await seedRegistrations('uwarm', 200);
await uncachedCommandPath('uwarm', 200);
await bareReadThenPut(await seedRegistrations('bwarm', 200));
const command: number[] = [];
const uncached: number[] = [];
const bare: number[] = [];
const raw: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  raw.push(await timed(`raw PutItem (round ${round})`, () => rawPuts(`r${round}`, STREAMS)));
  command.push(await timed(`command path (round ${round})`, () => commandPath(`c${round}`, STREAMS)));
  await seedRegistrations(`u${round}`, STREAMS * 2);
  uncached.push(await timed(`command path on unread streams (round ${round})`, () => uncachedCommandPath(`u${round}`, STREAMS * 2)));
  const seeded = await seedRegistrations(`b${round}`, STREAMS * 2);
  bare.push(await timed(`bare Query + PutItem on unread streams (round ${round})`, () => bareReadThenPut(seeded)));
}
const commandRate = Math.max(...command);
const uncachedRate = Math.max(...uncached);
const bareRate = Math.max(...bare);
const rawRate = Math.max(...raw);
console.log(`command path: ${commandRate.toFixed(0)} appends/s`);
console.log(`command path on unread streams: ${uncachedRate.toFixed(0)} appends/s`);
console.log(`bare Query + PutItem: ${bareRate.toFixed(0)} appends/s (physical limit here: ${(bareRate / rawRate).toFixed(3)} of raw PutItem)`);
console.log(`raw PutItem: ${rawRate.toFixed(0)} puts/s`);
console.log(`uncached against bare Query + PutItem: ${(uncachedRate / bareRate).toFixed(3)}`);
const cpu = (side: string) => cpuPerAppend.get(side)!;
console.log(
  `CPU per append: command path ${cpu('command path').toFixed(0)} µs, on unread streams ${cpu('command path on unread streams').toFixed(0)} µs, bare Query + PutItem ${cpu('bare Query + PutItem on unread streams').toFixed(0)} µs, raw PutItem ${cpu('raw PutItem').toFixed(0)} µs`,
);
console.log(`uncached ratio by CPU time: ${(cpu('raw PutItem') / cpu('command path on unread streams')).toFixed(3)}`);
await dynamo.stop();
console.log(`uncached ratio: ${(uncachedRate / rawRate).toFixed(3)}`);
console.log(`ratio: ${(commandRate / rawRate).toFixed(3)}`);
