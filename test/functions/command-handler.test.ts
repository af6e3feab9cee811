import { describe, expect, it } from 'vitest';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { DomainError } from '../../domain/errors.js';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { ConcurrencyError } from '../../functions/ports/event-store.js';
import { CommandHandler } from '../../functions/shared/command-handler.js';
import { DynamoEventStore, ensureEventsTable } from '../../functions/adapters/dynamodb-event-store.js';
import { startDynalite } from '../support/dynalite.js';

const ctx = (commandId: string) => ({ commandId, actor: 'centre:c1', correlationId: commandId, now: '2025-09-01T08:00:00.000Z' });
const register = { type: 'RegisterCandidate' as const, candidateId: 'k1', centreId: 'c1', centre: { centreId: 'c1' } };
const erase = { type: 'ErasePersonalData' as const, candidateId: 'k1', erasedBy: 'dreets:a', legalBasis: 'RGPD art. 17', actingRegion: 'Bretagne', candidateRegion: 'Bretagne' };

describe('command handler: read, fold, decide, append', () => {
  it('appends what the decider decides, with the envelope filled in', async () => {
    const store = new MemoryEventStore();
    const result = await new CommandHandler(store).handle(candidate, candidateStream('k1'), register, ctx('cmd-1'));
    expect(result.version).toBe(1);
    expect(result.events).toMatchObject([{ type: 'CandidateRegistered', version: 1, meta: { actor: 'centre:c1', causationId: 'cmd-1' } }]);
    const slice = await store.read(candidateStream('k1'));
    expect(slice.commits[0]!.commandId).toBe('cmd-1');
  });

  it('appends nothing when the decision is already taken (idempotent decider)', async () => {
    const handler = new CommandHandler(new MemoryEventStore());
    await handler.handle(candidate, candidateStream('k1'), register, ctx('cmd-1'));
    const again = await handler.handle(candidate, candidateStream('k1'), register, ctx('cmd-2'));
    expect(again.events).toEqual([]);
    expect(again.version).toBe(1);
  });

  it('a stale cache in one instance costs a conflict, then it re-reads and decides again', async () => {
    const store = new MemoryEventStore();
    const a = new CommandHandler(store);
    const b = new CommandHandler(store);
    await a.handle(candidate, candidateStream('k1'), register, ctx('cmd-1'));
    await b.state(candidate, candidateStream('k1')); // b caches version 1
    await a.handle(candidate, candidateStream('k1'), erase, ctx('cmd-2')); // a moves it to 2
    // b decides on its stale version 1: conflict, re-read, and the idempotent decider sees the erasure done.
    const result = await b.handle(candidate, candidateStream('k1'), erase, ctx('cmd-3'));
    expect(result.events).toEqual([]);
    expect((await store.read(candidateStream('k1'))).version).toBe(2);
  });

  it('a refusal decided on a stale cache is decided again on a fresh read (issue 17: a seat freed by another instance)', async () => {
    const store = new MemoryEventStore();
    const a = new CommandHandler(store);
    const b = new CommandHandler(store);
    const seat = (sessionId: string) => ({ candidateId: 'k1', rncp: 'RNCP38665', sessionId });
    await a.handle(candidate, candidateStream('k1'), register, ctx('cmd-1'));
    await a.handle(candidate, candidateStream('k1'), { type: 'ReserveTitreSitting', ...seat('s1') }, ctx('cmd-2'));
    // b remembers the seat at s1 (it refused s2 on it); a gives the seat back.
    await expect(b.handle(candidate, candidateStream('k1'), { type: 'ReserveTitreSitting', ...seat('s2') }, ctx('cmd-3'))).rejects.toBeInstanceOf(DomainError);
    await a.handle(candidate, candidateStream('k1'), { type: 'ReleaseTitreSitting', ...seat('s1') }, ctx('cmd-4'));
    const taken = await b.handle(candidate, candidateStream('k1'), { type: 'ReserveTitreSitting', ...seat('s2') }, ctx('cmd-5'));
    expect(taken.events.map((e) => e.type)).toEqual(['TitreSittingReserved']);
    expect((await store.read(candidateStream('k1'))).version).toBe(4);
  });

  it('gives up with the ConcurrencyError when retries are exhausted', async () => {
    const store = new MemoryEventStore();
    const a = new CommandHandler(store);
    const b = new CommandHandler(store);
    await a.handle(candidate, candidateStream('k1'), register, ctx('cmd-1'));
    await b.state(candidate, candidateStream('k1'));
    await a.handle(candidate, candidateStream('k1'), erase, ctx('cmd-2'));
    const error = await b.handle(candidate, candidateStream('k1'), erase, ctx('cmd-3'), { retries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
  });

  it('a refused command throws the DomainError and appends nothing', async () => {
    const store = new MemoryEventStore();
    const error = await new CommandHandler(store).handle(candidate, candidateStream('k9'), erase, ctx('cmd-1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((await store.read(candidateStream('k9'))).version).toBe(0);
  });

  it('a retried command (same commandId) from another instance is recognised and not doubled, on dynalite', async () => {
    const dynamo = await startDynalite();
    try {
      await ensureEventsTable(dynamo.client, 'events');
      const store = new DynamoEventStore(dynamo.client, 'events');
      const first = await new CommandHandler(store).handle(candidate, candidateStream('k1'), register, ctx('cmd-1'), { assumeEmpty: true });
      // The retry assumes an empty stream too (fresh id): it collides with its own first commit.
      const retry = await new CommandHandler(store).handle(candidate, candidateStream('k1'), register, ctx('cmd-1'), { assumeEmpty: true });
      expect(retry.duplicate).toBe(true);
      expect(retry.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
      expect((await store.read(candidateStream('k1'))).commits).toHaveLength(1);
    } finally {
      await dynamo.stop();
    }
  });
});
