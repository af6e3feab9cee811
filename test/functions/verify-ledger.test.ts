import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from '../../events/canonical-json.js';
import { GENESIS_HASH, type StoredEvent } from '../../events/envelope.js';
import { DynamoEventStore, ensureEventsTable } from '../../functions/adapters/dynamodb-event-store.js';
import { KeyRingSigner, MemoryKeyRingStore } from '../../functions/adapters/key-ring-signer.js';
import { checkLedger, merkleRoot, rawCommitsOfStore, rawCommitsOfTable, signCheckpoint } from '../../functions/ledger/ledger-check.js';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { jwksOf } from '../../functions/ports/signer.js';
import { startDynalite } from '../support/dynalite.js';
import { TestClock } from '../support/memory-deps.js';

const TableName = 'ledger-events';
const event = (n: number): StoredEvent => ({
  eventId: randomUUID(),
  type: 'Test',
  schemaVersion: 1,
  data: { n, text: `événement ${n}` },
  meta: { occurredAt: '2025-09-01T08:00:00.000Z', actor: 'system:test', correlationId: 'c', causationId: 'c' },
});

/** Flips one bit of one character of the stored item's JSON text, as a disk or an attacker with table access could. */
async function flipOneByte(client: Awaited<ReturnType<typeof startDynalite>>['client'], stream: string, version: number, attribute: 'events' | 'hash' | 'recordedAt', at = 5) {
  const { Item } = await client.send(new GetItemCommand({ TableName, Key: marshall({ pk: stream, sk: version }) }));
  const item = unmarshall(Item!);
  const text = attribute === 'events' ? JSON.stringify(item.events) : String(item[attribute]);
  const flipped = text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ 1) + text.slice(at + 1);
  item[attribute] = attribute === 'events' ? JSON.parse(flipped) : flipped;
  await client.send(new PutItemCommand({ TableName, Item: marshall(item) }));
}

describe('verify-ledger', () => {
  let dynamo: Awaited<ReturnType<typeof startDynalite>>;
  let store: DynamoEventStore;
  const streams = ['certificate#AAAA', 'candidate#c1', 'session#s1'];

  beforeAll(async () => {
    dynamo = await startDynalite();
    await ensureEventsTable(dynamo.client, TableName);
    store = new DynamoEventStore(dynamo.client, TableName);
    for (const stream of streams) {
      let head = GENESIS_HASH;
      for (let v = 0; v < 3; v++)
        head = (await store.append({ stream, expectedVersion: v, prevHash: head, events: [event(v + 1)], commandId: randomUUID(), recordedAt: '2025-09-01T08:00:00.000Z' })).commit
          .hash;
    }
  });
  afterAll(async () => dynamo?.stop());

  it('finds an intact ledger intact, with a Merkle root over the stream heads', async () => {
    const check = await checkLedger(rawCommitsOfTable(dynamo.client, TableName));
    expect(check).toMatchObject({ streams: 3, commits: 9, events: 9, broken: [] });
    const heads = [];
    for (const stream of [...streams].sort()) {
      const slice = await store.read(stream);
      heads.push(canonicalJson({ stream, version: slice.version, hash: slice.head }));
    }
    expect(check.root).toBe(merkleRoot(heads));
  });

  it('signs the checkpoint so that it verifies against the JWKS', async () => {
    const signer = new KeyRingSigner(new MemoryKeyRingStore(), new TestClock());
    const check = await checkLedger(rawCommitsOfTable(dynamo.client, TableName));
    const signed = await signCheckpoint(check, signer, '2025-09-01T08:00:00.000Z');
    const { payload } = await compactVerify(signed.jws, createLocalJWKSet(jwksOf(await signer.publicKeys()) as never));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({
      type: 'LedgerCheckpoint',
      at: '2025-09-01T08:00:00.000Z',
      streams: 3,
      commits: 9,
      events: 9,
      root: check.root,
      intact: true,
    });
  });

  it('names the stream and version of a commit with one flipped byte, wherever the byte is', async () => {
    const before = await checkLedger(rawCommitsOfTable(dynamo.client, TableName));
    await flipOneByte(dynamo.client, 'session#s1', 2, 'events', 40);
    let check = await checkLedger(rawCommitsOfTable(dynamo.client, TableName));
    expect(check.broken).toEqual([{ stream: 'session#s1', version: 2, reason: expect.stringContaining('does not match its hash') }]);
    await flipOneByte(dynamo.client, 'candidate#c1', 3, 'hash', 10);
    await flipOneByte(dynamo.client, 'certificate#AAAA', 1, 'recordedAt', 3);
    check = await checkLedger(rawCommitsOfTable(dynamo.client, TableName));
    expect(check.broken.map((b) => [b.stream, b.version])).toEqual([
      ['candidate#c1', 3],
      ['certificate#AAAA', 1],
      ['session#s1', 2],
    ]);
    expect(check.root).not.toBe(before.root);
  });

  it('names a commit that follows a deleted one', async () => {
    const local = await startDynalite();
    try {
      await ensureEventsTable(local.client, TableName);
      const s = new DynamoEventStore(local.client, TableName);
      let head = GENESIS_HASH;
      for (let v = 0; v < 3; v++)
        head = (await s.append({ stream: 'x#1', expectedVersion: v, prevHash: head, events: [event(v)], commandId: randomUUID(), recordedAt: '2025-09-01T08:00:00.000Z' })).commit
          .hash;
      await local.client.send(new DeleteItemCommand({ TableName, Key: marshall({ pk: 'x#1', sk: 2 }) }));
      expect((await checkLedger(rawCommitsOfTable(local.client, TableName))).broken).toEqual([{ stream: 'x#1', version: 3, reason: expect.stringContaining('does not follow') }]);
      await local.client.send(new DeleteItemCommand({ TableName, Key: marshall({ pk: 'x#1', sk: 1 }) }));
      expect((await checkLedger(rawCommitsOfTable(local.client, TableName))).broken).toEqual([
        { stream: 'x#1', version: 3, reason: expect.stringContaining('does not start the stream') },
      ]);
    } finally {
      await local.stop();
    }
  });

  it('reads any EventStore too', async () => {
    const memory = new MemoryEventStore();
    await memory.append({ stream: 'a#1', expectedVersion: 0, prevHash: GENESIS_HASH, events: [event(1)], commandId: 'c', recordedAt: '2025-09-01T08:00:00.000Z' });
    expect(await checkLedger(rawCommitsOfStore(memory))).toMatchObject({ streams: 1, commits: 1, broken: [] });
  });

  it('computes RFC 6962 tree hashes', () => {
    const leaf = (s: string) => sha256(Buffer.concat([Buffer.from([0]), Buffer.from(s)]));
    const node = (l: string, r: string) => sha256(Buffer.concat([Buffer.from([1]), Buffer.from(l, 'hex'), Buffer.from(r, 'hex')]));
    expect(merkleRoot([])).toBe(sha256(''));
    expect(merkleRoot(['a'])).toBe(leaf('a'));
    expect(merkleRoot(['a', 'b', 'c'])).toBe(node(node(leaf('a'), leaf('b')), leaf('c')));
  });
});
