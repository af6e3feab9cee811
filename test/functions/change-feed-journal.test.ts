import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeFeedJournal } from '../../functions/local/change-feed-journal.js';

const dirs: string[] = [];
const opened: ChangeFeedJournal[] = [];
/** A journal on the data dir; each is closed after the test, as the runtime closes its own (its checkpoint timer). */
const open = (dir: string): ChangeFeedJournal => {
  const journal = new ChangeFeedJournal(dir);
  opened.push(journal);
  return journal;
};
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-journal-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const journal of opened.splice(0)) journal.dispose();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const commit = (n: number) => ({ stream: `candidate#k${n}`, version: 1, commandId: `cmd-${n}` });

describe('the local change feed journal: where a start resumes', () => {
  it('given a new data dir, it has no checkpoint until the first one is written', () => {
    const dir = dataDir();
    const journal = open(dir);
    expect(journal.hasCheckpoint).toBe(false);
    journal.close();
    expect(open(dir).hasCheckpoint).toBe(true);
  });

  it('given intents resolved in any order, the checkpoint is the low-water mark: an intent still out is found again', () => {
    const dir = dataDir();
    const journal = open(dir);
    const [a, b, c] = [journal.intend(commit(1)), journal.intend(commit(2)), journal.intend(commit(3))];
    journal.resolve(a);
    journal.resolve(c); // b still out: delivered after c, or cut by a crash
    journal.persist();
    expect(
      open(dir)
        .pending()
        .map((i) => i.seq),
    ).toEqual([b, c]);
    journal.resolve(b);
    journal.persist();
    expect(open(dir).pending()).toEqual([]);
  });

  it('when the process dies before the checkpoint is written, the next start sees every intent since the last one', () => {
    const dir = dataDir();
    const first = open(dir);
    first.resolve(first.intend(commit(1)));
    first.close();
    const second = open(dir);
    const out = second.intend(commit(2));
    // No close: a SIGKILL. The line was written before the PutItem, synchronously.
    const again = open(dir);
    expect(again.pending()).toEqual([{ seq: out, ...commit(2) }]);
    // And its numbering goes on after what it found, so an intent never reuses a number.
    expect(again.intend(commit(3))).toBe(out + 1);
  });

  it('ignores a line cut short by a crash (an intent whose PutItem was never sent)', () => {
    const dir = dataDir();
    const journal = open(dir);
    const seq = journal.intend(commit(1));
    appendFileSync(join(dir, 'change-feed', 'journal'), '{"seq":');
    expect(
      open(dir)
        .pending()
        .map((i) => i.seq),
    ).toEqual([seq]);
  });

  it('starts the journal afresh once everything in it is delivered and it has grown long', () => {
    const dir = dataDir();
    const journal = open(dir);
    for (let i = 0; i < 10_000; i++) journal.resolve(journal.intend(commit(i)));
    journal.persist();
    expect(readFileSync(join(dir, 'change-feed', 'journal'), 'utf8')).toBe('');
    const next = open(dir);
    expect(next.pending()).toEqual([]);
    expect(next.intend(commit(0))).toBe(10_001);
  });
});
