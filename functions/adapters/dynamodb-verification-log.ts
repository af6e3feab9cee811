import { randomBytes } from 'node:crypto';
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  dayOf,
  tallyKey,
  VERIFICATION_RETENTION_DAYS,
  VERIFICATIONS_KEPT_PER_DAY,
  VerificationRecord,
  VerificationTally,
  type VerificationEntry,
  type VerificationLog,
  type VerificationWindow,
} from '../ports/verification-log.js';

const BATCH = 25; // BatchWriteItem's maximum
/** How many requestIds an instance remembers to count a record handed over twice once (minutes of traffic). */
const REMEMBERED_REQUESTS = 20_000;
/** How many (code, day) pairs an instance remembers (its leased ordinals, whether past the cap, the last instant written). */
const REMEMBERED_DAYS = 10_000;

interface Pending {
  record: VerificationRecord;
  resolve(): void;
  reject(error: unknown): void;
}

/** Increments of one tally item held by this instance, written by one UpdateItem. */
interface TallyIncrement {
  record: VerificationRecord;
  count: number;
  firstAt: string;
  lastAt: string;
  waiting: Pending[];
}

/** The TTL of whatever a day's verifications left (the table's `expiresAt`): the retention after the day's end. */
const expiresAt = (day: string) => Math.floor(Date.parse(`${day}T00:00:00.000Z`) / 1000) + (VERIFICATION_RETENTION_DAYS + 1) * 86_400;

/**
 * The verifications table, bounded per certificate and UTC day (pk = code):
 * - a counter per day (sk = `#day#<day>`, below every instant, so never listed): an UpdateItem hands out ordinals in
 *   the day (each instance's claims named by a sequence number, like the tallies' updates below); an instance that
 *   sees a code again claims ahead (a second of its demand, or as many as it already claimed that day), so a flood
 *   claims once a second and a code verified in bursts a handful of times a day, not once per record;
 * - the first VERIFICATIONS_KEPT_PER_DAY of the day, one item each (sk = `<at>#<requestId>`), appended by
 *   BatchWriteItem, so a retried or repeated put is the same item;
 * - past them, one tally per outcome (sk = `<day>~<status>~<name check>`, after the day's verifications), an
 *   UpdateItem ADD of the count. An ADD is not idempotent: each instance names its updates (`w_<writer>` = a
 *   sequence number, conditioned to grow), so an update the SDK retries after it was applied fails its condition
 *   and counts once; an instance writes one tally item at a time, in sequence order.
 * At most KEPT + 12 tallies + 1 counter items per certificate and day, whatever the traffic. Records wait at most
 * `lingerMs` (20 ms) for others, or until 25 are held (group commit); tallies wait up to `tallyLingerMs` (1 s) so a
 * flood of one code costs one UpdateItem per outcome and second, not one per verification. `record` resolves when
 * its record is durable, but the public route does not wait for it: `flush` writes what is held at once, and runs
 * on shutdown and at the end of each Lambda invocation; `list` flushes first, so a holder sees every verification
 * this instance answered. A record handed over twice (same requestId) within REMEMBERED_REQUESTS is counted once.
 */
export class DynamoVerificationLog implements VerificationLog {
  private readonly writer = randomBytes(8).toString('hex');
  private sequence = 0;
  private readonly queue: Pending[] = [];
  private readonly unsettled = new Set<Promise<void>>();
  private readonly seen = new Map<string, Promise<void>>();
  /**
   * Per (code, day): ordinals this instance claimed ahead and has not used, whether the day is past its cap, demand
   * (the last second's), and how many ordinals it claimed so far that day.
   */
  private readonly leases = new Map<string, { left: number; full: boolean; seen: number; since: number; rate: number; claimed: number }>();
  private readonly tallies = new Map<string, TallyIncrement>();
  private readonly tallyWrites = new Map<string, Promise<void>>();
  private readonly claims = new Map<string, Promise<number>>();
  /** The latest instant this instance wrote to each tally item, so its writes never move `at` back. */
  private readonly tallyLatest = new Map<string, string>();
  private inFlight = 0;
  /** Day-counter claims and tally updates out at once (the UpdateItems), and those waiting for a turn. */
  private updatesOut = 0;
  private readonly updatesWaiting: (() => void)[] = [];
  private flushing = 0;
  private timer: NodeJS.Timeout | undefined;
  private tallyTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: { maxInFlight?: number; maxUpdatesInFlight?: number; lingerMs?: number; tallyLingerMs?: number } = {},
  ) {}

  /**
   * Runs one UpdateItem (a claim or a tally) when fewer than `maxUpdatesInFlight` (2) are out: the tallies of every
   * busy code fall due together each second, and all at once they would hold back the public route's own reads
   * behind them (the verify bench measured its p99 tens of milliseconds longer), where in turn they cost it nothing.
   */
  private async inTurn<T>(update: () => Promise<T>): Promise<T> {
    if (this.updatesOut >= (this.options.maxUpdatesInFlight ?? 2)) await new Promise<void>((turn) => this.updatesWaiting.push(turn));
    else this.updatesOut++;
    try {
      return await update();
    } finally {
      const next = this.updatesWaiting.shift();
      if (next) next();
      else this.updatesOut--;
    }
  }

  record(entry: VerificationRecord): Promise<void> {
    const record = VerificationRecord.parse(entry);
    const already = this.seen.get(`${record.code}|${record.at}#${record.requestId}`);
    if (already) return already;
    const done = new Promise<void>((resolve, reject) => this.queue.push({ record, resolve, reject }));
    this.remember(this.seen, `${record.code}|${record.at}#${record.requestId}`, done, REMEMBERED_REQUESTS);
    this.unsettled.add(done);
    const settled = () => this.unsettled.delete(done);
    done.then(settled, settled);
    if (this.queue.length >= BATCH) this.pump();
    else this.timer ??= setTimeout(() => this.pump(), this.options.lingerMs ?? 20);
    return done;
  }

  async flush(): Promise<void> {
    this.flushing++;
    try {
      this.pump();
      this.writeTallies();
      // Records routed to a tally settle with its write, which the flag above makes immediate.
      await Promise.allSettled([...this.unsettled]);
    } finally {
      this.flushing--;
    }
  }

  private remember<T>(map: Map<string, T>, key: string, value: T, bound: number) {
    map.set(key, value);
    if (map.size > bound) map.delete(map.keys().next().value!);
  }

  private pump() {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length && this.inFlight < (this.options.maxInFlight ?? 4)) {
      const batch = this.queue.splice(0, BATCH);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** Gives each record its place: one of the day's kept verifications, or a tally's increment. */
  private async write(batch: Pending[]): Promise<void> {
    const byDay = new Map<string, Pending[]>();
    for (const p of batch) {
      const key = `${p.record.code}|${dayOf(p.record.at)}`;
      byDay.set(key, [...(byDay.get(key) ?? []), p]);
    }
    const kept: Pending[] = [];
    await Promise.all(
      [...byDay].map(async ([key, group]) => {
        const lease = this.leases.get(key) ?? { left: 0, full: false, seen: 0, since: Date.now(), rate: 0, claimed: 0 };
        this.remember(this.leases, key, lease, REMEMBERED_DAYS);
        const now = Date.now();
        if (now - lease.since >= 1000) Object.assign(lease, { rate: now - lease.since < 2000 ? lease.seen : 0, seen: 0, since: now });
        lease.seen += group.length;
        // Ordinals leased by an earlier claim first, then a claim for the rest and, ahead, the larger of the last
        // second's demand and what this instance already claimed that day: a flood claims once a second, a code
        // verified once claims one, and a code verified in bursts claims a doubling lease (a handful of claims to
        // its day's cap, not one a verification). What an instance leases and does not use only tallies some of
        // another instance's verifications of that day sooner: every one is still counted.
        const fromLease = Math.min(lease.left, group.length);
        lease.left -= fromLease;
        kept.push(...group.slice(0, fromLease));
        const rest = group.slice(fromLease);
        if (!rest.length) return;
        if (lease.full) {
          for (const p of rest) this.tally(p);
          return;
        }
        // Nothing ahead while an earlier claim for the day is out: what it leases is not known yet, and records it
        // would cover would be tallied meanwhile.
        const ahead = this.claims.has(key) ? 0 : Math.min(VERIFICATIONS_KEPT_PER_DAY, Math.max(lease.rate, lease.claimed));
        const ask = rest.length + ahead;
        let total: number;
        try {
          total = await this.claim(group[0]!.record, ask);
        } catch (error) {
          for (const p of rest) p.reject(error);
          return;
        }
        lease.claimed += ask;
        // This instance holds ordinals total - ask + 1 … total; those past the day's cap are tallies.
        const usable = Math.max(0, Math.min(ask, VERIFICATIONS_KEPT_PER_DAY - (total - ask)));
        if (total >= VERIFICATIONS_KEPT_PER_DAY) lease.full = true;
        kept.push(...rest.slice(0, usable));
        for (const p of rest.slice(usable)) this.tally(p);
        lease.left += Math.max(0, usable - rest.length);
      }),
    );
    if (kept.length) await this.put(kept);
    if (this.flushing) this.writeTallies();
  }

  /**
   * Adds `count` to the day's counter of the record's certificate; the new total. Idempotent like a tally's update:
   * the claim names this instance's sequence and keeps the total it made, so a claim the SDK retries after it was
   * applied reads that total back rather than adding twice (which would only tally some verifications sooner, but
   * would tally every one of them on a network that loses answers). One claim per key at a time, as for tallies.
   */
  private claim(record: VerificationRecord, count: number): Promise<number> {
    const key = `${record.code}|${dayOf(record.at)}`;
    const previous = this.claims.get(key) ?? Promise.resolve(0);
    const claimInTurn = () => this.inTurn(() => this.claimNow(record, count));
    const next = previous.then(claimInTurn, claimInTurn);
    this.claims.set(key, next);
    const settled = () => {
      if (this.claims.get(key) === next) this.claims.delete(key);
    };
    next.then(settled, settled);
    return next;
  }

  private async claimNow(record: VerificationRecord, count: number): Promise<number> {
    const day = dayOf(record.at);
    const Key = marshall({ pk: record.code, sk: `#day#${day}` });
    const names = { '#claimed': 'claimed', '#writer': `w_${this.writer}`, '#total': `t_${this.writer}` };
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key,
          // SET evaluates against the item as it was: the new total is the old one plus `count`.
          UpdateExpression:
            'SET #claimed = if_not_exists(#claimed, :zero) + :n, #total = if_not_exists(#claimed, :zero) + :n, #writer = :sequence, #expiresAt = if_not_exists(#expiresAt, :expires)',
          ConditionExpression: 'attribute_not_exists(#writer) OR #writer < :sequence',
          ExpressionAttributeNames: { ...names, '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: marshall({ ':zero': 0, ':n': count, ':sequence': ++this.sequence, ':expires': expiresAt(day) }),
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.claimed?.N ?? Number.POSITIVE_INFINITY);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Applied by an attempt whose answer was lost: its total is this instance's last one on the item.
      const item = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key, ConsistentRead: true, ProjectionExpression: '#total', ExpressionAttributeNames: { '#total': names['#total'] } }),
      );
      return Number(item.Item?.[names['#total']]?.N ?? Number.POSITIVE_INFINITY);
    }
  }

  private async put(kept: Pending[]): Promise<void> {
    try {
      let requests: WriteRequest[] = kept.map(({ record }) => ({
        PutRequest: {
          Item: marshall({ ...record, pk: record.code, sk: `${record.at}#${record.requestId}`, expiresAt: expiresAt(dayOf(record.at)) }, { removeUndefinedValues: true }),
        },
      }));
      for (let attempt = 0; requests.length; attempt++) {
        if (attempt > 0) {
          if (attempt > 8) throw new Error(`${requests.length} verification records stayed unprocessed`);
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        }
        const out = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = out.UnprocessedItems?.[this.tableName] ?? [];
      }
      for (const p of kept) p.resolve();
    } catch (error) {
      for (const p of kept) p.reject(error);
    }
  }

  private tally(p: Pending) {
    const key = `${p.record.code}|${tallyKey(p.record)}`;
    const held = this.tallies.get(key);
    if (held) {
      held.count++;
      if (p.record.at < held.firstAt) held.firstAt = p.record.at;
      if (p.record.at > held.lastAt) held.lastAt = p.record.at;
      held.waiting.push(p);
    } else this.tallies.set(key, { record: p.record, count: 1, firstAt: p.record.at, lastAt: p.record.at, waiting: [p] });
    this.tallyTimer ??= setTimeout(() => this.writeTallies(), this.options.tallyLingerMs ?? 1000);
  }

  /**
   * Writes every held tally increment, one write per item at a time (its sequence must grow): what arrives for an
   * item while its write is in flight is summed and written after it, so a flood costs one update per round trip.
   */
  private writeTallies() {
    clearTimeout(this.tallyTimer);
    this.tallyTimer = undefined;
    for (const [key, increment] of this.tallies) {
      if (this.tallyWrites.has(key)) continue;
      this.tallies.delete(key);
      this.tallyWrites.set(
        key,
        this.writeTally(increment).finally(() => {
          this.tallyWrites.delete(key);
          if (!this.tallies.has(key)) return;
          if (this.flushing) this.writeTallies();
          else this.tallyTimer ??= setTimeout(() => this.writeTallies(), this.options.tallyLingerMs ?? 1000);
        }),
      );
    }
  }

  /** Never rejects: each waiting record learns the outcome. */
  private writeTally(increment: TallyIncrement): Promise<void> {
    return this.inTurn(() => this.writeTallyNow(increment));
  }

  private async writeTallyNow({ record, count, firstAt, lastAt: latest, waiting }: TallyIncrement): Promise<void> {
    const sequence = ++this.sequence;
    const item = `${record.code}|${tallyKey(record)}`;
    const written = this.tallyLatest.get(item);
    const lastAt = written && written > latest ? written : latest;
    this.remember(this.tallyLatest, item, lastAt, REMEMBERED_DAYS);
    const matches = record.familyNameMatches !== undefined;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: record.code, sk: tallyKey(record) }),
          UpdateExpression: `ADD #count :n SET #writer = :sequence, #code = :code, #firstAt = if_not_exists(#firstAt, :firstAt), #at = :at, #status = :status, #checked = :checked${matches ? ', #matches = :matches' : ''}, #expiresAt = if_not_exists(#expiresAt, :expires)`,
          ConditionExpression: 'attribute_not_exists(#writer) OR #writer < :sequence',
          ExpressionAttributeNames: {
            '#count': 'count',
            '#writer': `w_${this.writer}`,
            '#code': 'code',
            '#firstAt': 'firstAt',
            '#at': 'at',
            '#status': 'status',
            '#checked': 'familyNameChecked',
            ...(matches ? { '#matches': 'familyNameMatches' } : {}),
            '#expiresAt': 'expiresAt',
          },
          ExpressionAttributeValues: marshall({
            ':n': count,
            ':sequence': sequence,
            ':code': record.code,
            ':firstAt': firstAt,
            ':at': lastAt,
            ':status': record.status,
            ':checked': record.familyNameChecked,
            ...(matches ? { ':matches': record.familyNameMatches } : {}),
            ':expires': expiresAt(dayOf(record.at)),
          }),
        }),
      );
    } catch (error) {
      // This instance writes one item's increments in sequence: a sequence already there is this very update,
      // applied by an attempt whose answer was lost and retried by the SDK.
      if (!(error instanceof ConditionalCheckFailedException)) {
        for (const p of waiting) p.reject(error);
        return;
      }
    }
    for (const p of waiting) p.resolve();
  }

  async list(code: string, window: VerificationWindow): Promise<VerificationEntry[]> {
    await this.flush();
    // Newest first, one bounded page (the sort key starts with the instant or the day; the day counters sort before
    // any instant), turned back to oldest first.
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :code AND sk >= :since',
        ExpressionAttributeValues: marshall({ ':code': code, ':since': window.since }),
        ConsistentRead: true,
        ScanIndexForward: false,
        Limit: window.limit,
      }),
    );
    return (page.Items ?? [])
      .map((item) => {
        const { pk: _, sk: __, expiresAt: ___, ...entry } = unmarshall(item);
        // zod drops what the schema does not name: a tally's writer sequences (`w_…`) and a counter's fields.
        if (!('count' in entry)) return VerificationRecord.parse(entry);
        const tally = VerificationTally.parse(entry);
        // Instances write their increments unordered between them: the span is the widest the two instants give.
        return tally.firstAt <= tally.at ? tally : { ...tally, firstAt: tally.at, at: tally.firstAt };
      })
      .reverse();
  }
}
