import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflows } from '../../functions/ports/workflows.js';

/** A Task state an execution reached, with the input it was given (the step itself is not what is tested here). */
export interface TaskRun {
  state: string;
  input: Record<string, unknown>;
}

export interface WorkflowsHarness {
  workflows: Workflows;
  /** Once every execution started so far has ended: each Task state run, in order. */
  ran(): Promise<TaskRun[]>;
  stop(): Promise<void>;
}

let n = 0;
/** A tag for one test's executions, carried in their input so the Tasks they reach can be told apart. */
const tag = (name: string) => `${name}-${++n}-${Math.random().toString(36).slice(2, 8)}`;

export function workflowsContract(name: string, start: () => Promise<WorkflowsHarness>) {
  describe(`Workflows contract: ${name}`, () => {
    let h: WorkflowsHarness;
    beforeAll(async () => {
      h = await start();
    }, 600_000);
    afterAll(async () => h?.stop());
    const runsOf = async (candidateId: string) => (await h.ran()).filter((r) => r.input.candidateId === candidateId || r.input.sessionId === candidateId);

    it('starts an execution of the deployed definition: its input chooses the Task, and the execution is named after the request', async () => {
      const k = tag('k');
      const { executionId } = await h.workflows.start('capitalisation', `remind-${k}`, { action: 'remind', candidateId: k, bloc: 'RNCP37873BC01' });
      expect(executionId).toMatch(new RegExp(`:remind-${k}$`));
      expect(await runsOf(k)).toEqual([{ state: 'SendUsabilityReminder', input: { action: 'remind', candidateId: k, bloc: 'RNCP37873BC01' } }]);
      const s = tag('s');
      await h.workflows.start('session', `session-${s}`, { sessionId: s });
      expect((await runsOf(s))[0]).toEqual({ state: 'LoadPvOutcomes', input: { sessionId: s } });
    });

    it('a retried start (the same name) is the same execution, whether it still runs or ended, and runs once', async () => {
      const k = tag('k');
      const input = { action: 'check', candidateId: k };
      const name = `check-${k}`;
      const concurrent = await Promise.all(Array.from({ length: 5 }, () => h.workflows.start('capitalisation', name, input)));
      expect(new Set(concurrent.map((c) => c.executionId)).size).toBe(1);
      await h.ran();
      const again = await h.workflows.start('capitalisation', name, input);
      expect(again.executionId).toBe(concurrent[0]!.executionId);
      expect(await runsOf(k)).toEqual([{ state: 'CheckUsability', input }]);
    });

    it('the names the ledger gives (stream ids with # and :) start once each, and two names are two executions', async () => {
      const k = tag('candidate#k');
      const first = await h.workflows.start('capitalisation', `check:${k}:RNCP37873BC01:2030-03-01`, { action: 'check', candidateId: k, n: 1 });
      const retried = await h.workflows.start('capitalisation', `check:${k}:RNCP37873BC01:2030-03-01`, { action: 'check', candidateId: k, n: 1 });
      const second = await h.workflows.start('capitalisation', `check:${k}:RNCP37873BC02:2030-03-01`, { action: 'check', candidateId: k, n: 2 });
      expect(retried.executionId).toBe(first.executionId);
      expect(second.executionId).not.toBe(first.executionId);
      expect((await runsOf(k)).map((r) => r.input.n)).toEqual([1, 2]);
    });

    it('a workflow the stack does not deploy is refused, and nothing runs', async () => {
      const k = tag('k');
      await expect(h.workflows.start('no-such-workflow', `x-${k}`, { action: 'check', candidateId: k })).rejects.toThrow();
      expect(await runsOf(k)).toEqual([]);
    });

    it("an execution that fails (an action the definition does not know) still started: its failure is the execution's, not the start's", async () => {
      const k = tag('k');
      await expect(h.workflows.start('capitalisation', `odd-${k}`, { action: 'nothing-to-do', candidateId: k })).resolves.toMatchObject({ executionId: expect.any(String) });
      expect(await runsOf(k)).toEqual([]);
    });
  });
}
