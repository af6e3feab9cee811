import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { LocalScheduler, type DueTimers } from '../../functions/adapters/local-scheduler.js';
import { MemoryScheduler } from '../../functions/adapters/memory-scheduler.js';
import { type Scheduler, timerExecutionName } from '../../functions/ports/scheduler.js';
import type { Workflows } from '../../functions/ports/workflows.js';
import { startDynalite } from '../support/dynalite.js';

type Harness = { scheduler: Scheduler & DueTimers; started: { workflow: string; name: string; input: unknown }[]; stop(): Promise<void> };

/** The local Scheduler adapters: timers kept until due, fired once each, in time order. */
function schedulerContract(name: string, start: () => Promise<Harness>) {
  describe(`Scheduler contract: ${name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    it('keeps a timer until it is due, then fires it once, in time order', async () => {
      await h.scheduler.schedule({ name: 'b', at: '2019-03-11T00:00:00.000Z', workflow: 'capitalisation', input: { n: 2 } });
      await h.scheduler.schedule({ name: 'a', at: '2018-12-10T08:00:00.000Z', workflow: 'capitalisation', input: { n: 1 } });
      await h.scheduler.schedule({ name: 'a', at: '2018-12-10T08:00:00.000Z', workflow: 'capitalisation', input: { n: 1 } });
      expect(await h.scheduler.nextDue('2018-12-10T07:59:59.999Z')).toBeUndefined();
      const first = await h.scheduler.nextDue('2030-01-01T00:00:00.000Z');
      expect(first?.name).toBe('a');
      await h.scheduler.fire(first!);
      const second = await h.scheduler.nextDue('2030-01-01T00:00:00.000Z');
      expect(second?.name).toBe('b');
      await h.scheduler.fire(second!);
      expect(await h.scheduler.nextDue('2030-01-01T00:00:00.000Z')).toBeUndefined();
      expect(h.started.map((s) => s.input)).toEqual([{ n: 1 }, { n: 2 }]);
    });

    it('starts a timer already due at once, under the name its schedule would have, and keeps nothing', async () => {
      h.started.length = 0;
      const timer = { name: 'past', at: '2017-06-01T00:00:00.000Z', workflow: 'capitalisation', input: { n: 3 } };
      await h.scheduler.schedule(timer);
      expect(h.started).toEqual([{ workflow: 'capitalisation', name: timerExecutionName(timer), input: { n: 3 } }]);
      expect(await h.scheduler.nextDue('2030-01-01T00:00:00.000Z')).toBeUndefined();
    });
  });
}

/** The adapters' clock: every timer of the first case is due after it. */
const CLOCK = { now: () => '2018-01-01T00:00:00.000Z' };

const recorder = () => {
  const started: Harness['started'] = [];
  const workflows: Workflows = {
    start: async (workflow, name, input) => {
      started.push({ workflow, name, input });
      return { executionId: name };
    },
  };
  return { started, workflows };
};

schedulerContract('in memory', async () => {
  const { started, workflows } = recorder();
  return { scheduler: new MemoryScheduler(() => workflows, CLOCK), started, stop: async () => {} };
});

schedulerContract('local, in dynalite', async () => {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'timers');
  const { started, workflows } = recorder();
  return { scheduler: new LocalScheduler(dynamo.client, 'timers', () => workflows, CLOCK), started, stop: dynamo.stop };
});
