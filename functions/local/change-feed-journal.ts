import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

/** One line of the journal: a commit about to be written, under the feed's sequence number. */
const Intent = z.object({ seq: z.number().int().positive(), stream: z.string(), version: z.number().int().positive(), commandId: z.string() });
export type Intent = z.infer<typeof Intent>;

/** The checkpoint file: every intent at or below `seq` was delivered or never written. */
const Checkpoint = z.object({ seq: z.number().int().nonnegative() });

/** Past this many lines with nothing outstanding, the journal starts afresh (its lines are all at or below the checkpoint). */
const COMPACT_AFTER_LINES = 10_000;
/** The checkpoint is written at most this often: a stale one only delivers a few commits again at start, which is harmless. */
const CHECKPOINT_EVERY_MS = 200;

/**
 * Where the local change feed resumes after a stop or a crash, so that `npm start` reads only what it had not
 * delivered, never the whole ledger. DynamoDB Streams keeps its records for 24 hours and the consumer resumes from
 * its iterator; the in-process feed has no such log, so each commit is written here (one short line, synchronously)
 * before its PutItem, and resolved once the feed delivered it (projected and reacted to) or the PutItem failed. The
 * checkpoint is the low-water mark: every intent at or below it is resolved. At start, the intents above it are read
 * back and looked up in the events table: those written are delivered again (the projector ignores what it already
 * holds, reactions are idempotent), the others were never committed. A data dir without a checkpoint (from before
 * this journal) is caught up once from the whole table.
 */
export class ChangeFeedJournal {
  private readonly dir: string;
  private fd: number | undefined;
  private next: number;
  private checkpoint: number;
  private lines = 0;
  private readonly outstanding = new Set<number>();
  private written: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'change-feed');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.checkpoint = this.readCheckpoint() ?? 0;
    this.written = this.checkpoint;
    const { intents, lines } = this.readJournal();
    this.lines = lines;
    this.next = Math.max(this.checkpoint, ...intents.map((p) => p.seq)) + 1;
  }

  /** Whether this data dir has a checkpoint (a data dir from before the journal has none). */
  get hasCheckpoint(): boolean {
    return existsSync(this.checkpointFile);
  }

  /** The intents above the checkpoint, in order: what the last run may not have delivered. */
  pending(): Intent[] {
    return this.readJournal().intents;
  }

  private readJournal(): { intents: Intent[]; lines: number } {
    if (!existsSync(this.journalFile)) return { intents: [], lines: 0 };
    const intents: Intent[] = [];
    let lines = 0;
    for (const line of readFileSync(this.journalFile, 'utf8').split('\n')) {
      if (!line) continue;
      lines++;
      // A line cut by a crash is the intent of a PutItem that was never sent.
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      const intent = Intent.safeParse(parsed);
      if (intent.success && intent.data.seq > this.checkpoint) intents.push(intent.data);
    }
    return { intents, lines };
  }

  /** Records that a commit is about to be written; returns its sequence number, resolved later. */
  intend(commit: { stream: string; version: number; commandId: string }): number {
    const seq = this.next++;
    this.fd ??= openSync(this.journalFile, 'a', 0o600);
    writeSync(this.fd, `${JSON.stringify({ seq, stream: commit.stream, version: commit.version, commandId: commit.commandId })}\n`);
    this.lines++;
    this.outstanding.add(seq);
    return seq;
  }

  /** Keeps an intent of the last run outstanding until it is delivered again. */
  carry(seq: number): void {
    this.outstanding.add(seq);
  }

  /** The commit was delivered, or its PutItem failed: nothing left to do for it. */
  resolve(seq: number): void {
    if (!this.outstanding.delete(seq)) return;
    const mark = this.outstanding.size ? Math.min(...this.outstanding) - 1 : this.next - 1;
    if (mark <= this.checkpoint) return;
    this.checkpoint = mark;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.persist();
    }, CHECKPOINT_EVERY_MS).unref();
  }

  /** The last sequence number given. */
  get last(): number {
    return this.next - 1;
  }

  persist(): void {
    if (this.checkpoint !== this.written) {
      const tmp = `${this.checkpointFile}.tmp`;
      writeFileSync(tmp, JSON.stringify(Checkpoint.parse({ seq: this.checkpoint })), { mode: 0o600 });
      renameSync(tmp, this.checkpointFile);
      this.written = this.checkpoint;
    } else if (!this.hasCheckpoint) {
      writeFileSync(this.checkpointFile, JSON.stringify({ seq: this.checkpoint }), { mode: 0o600 });
    }
    // Every line is at or below the checkpoint: the journal can start afresh.
    if (this.outstanding.size === 0 && this.checkpoint === this.next - 1 && this.lines >= COMPACT_AFTER_LINES) this.truncate();
  }

  /** After the start-up catch-up: the journal holds nothing the checkpoint does not cover. */
  truncate(): void {
    if (this.fd !== undefined) {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
    }
    writeFileSync(this.journalFile, '', { mode: 0o600 });
    this.lines = 0;
  }

  /** Stops the pending checkpoint write and lets go of the file, writing nothing (as a killed process would). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.persist();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private get journalFile() {
    return join(this.dir, 'journal');
  }

  private get checkpointFile() {
    return join(this.dir, 'checkpoint');
  }

  private readCheckpoint(): number | undefined {
    if (!existsSync(this.checkpointFile)) return undefined;
    return Checkpoint.parse(JSON.parse(readFileSync(this.checkpointFile, 'utf8'))).seq;
  }
}
