import { SFNClient } from '@aws-sdk/client-sfn';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { workflows as workflowDefinitions } from '../../infra/workflows/index.js';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { SfnWorkflows } from '../../functions/adapters/sfn-workflows.js';
import { stateMachineArnVariable } from '../../functions/composition/config.js';
import { composeMemoryLedger } from '../../functions/composition/memory-ledger.js';
import { DynamoExecutionJournal } from '../../functions/local/execution-journal.js';
import { LocalWorkflows } from '../../functions/local/local-workflows.js';
import { systemClock } from '../../functions/ports/clock.js';
import type { Execution } from '../../functions/twin/local-services.js';
import { taskStates } from '../../functions/twin/state-machines.js';
import { startDynalite } from '../support/dynalite.js';
import { startTwinAws, type TwinAws } from '../support/twin-aws.js';
import { type TaskRun, workflowsContract } from './workflows.contract.js';

/** Records each Task the definition reaches instead of running its step (steps have their own tests). */
const recorder = () => {
  const runs: TaskRun[] = [];
  const interceptTask = async (state: string, input: unknown) => {
    runs.push({ state, input: input as Record<string, unknown> });
    return {};
  };
  return { runs, interceptTask };
};

// The tests' platform: the ASL rendered from infra/workflows run in process by aws-local-stepfunctions.
workflowsContract('in process (the local runner, as the memory ledger composes it)', async () => {
  const { runs, interceptTask } = recorder();
  const memory = composeMemoryLedger({ clock: systemClock, workflowOptions: { interceptTask } });
  return {
    workflows: memory.workflows,
    ran: async () => {
      await memory.workflows.drain();
      return runs;
    },
    stop: async () => {},
  };
});

/** npm start's: the same runner, each execution recorded in dynalite before it runs (execution-journal.ts). */
async function journaledRunner() {
  const { runs, interceptTask } = recorder();
  const memory = composeMemoryLedger({ clock: systemClock });
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'ledger-workflow-executions', false);
  const make = async () => {
    const w = new LocalWorkflows(() => memory.ledger.deps, workflowDefinitions, {
      retryIntervalMs: 0,
      interceptTask,
      journal: new DynamoExecutionJournal(dynamo.client, 'ledger-workflow-executions'),
    });
    await w.recover();
    return w;
  };
  let current = await make();
  return {
    get workflows() {
      return current;
    },
    ran: async () => {
      await current.drain();
      return runs;
    },
    restart: async () => {
      current = await make();
      return current;
    },
    stop: dynamo.stop,
  };
}
workflowsContract('npm start (the local runner with its journal in dynalite)', journaledRunner);

/**
 * AWS: the Step Functions adapter through the real SDK to the twin's Step Functions endpoint, as the function the
 * stack grants states:StartExecution; each execution runs the template's own DefinitionString.
 */
workflowsContract('Step Functions through the twin (the synthesized definitions)', async () => {
  const runs: TaskRun[] = [];
  let twin: TwinAws | undefined;
  const runExecution = async (execution: Execution) => {
    const machine = twin!.stack.stateMachines.find((m) => twin!.resolver.ref(m.logicalId) === execution.stateMachineArn)!;
    const definition = twin!.resolver.stateMachineDefinition(machine);
    const handlers = Object.fromEntries(
      [...taskStates(definition)].map(([state]) => [
        state,
        async (input: unknown) => {
          runs.push({ state, input: input as Record<string, unknown> });
          return {};
        },
      ]),
    );
    // aws-local-stepfunctions mutates the definition it is given.
    return new StateMachine(structuredClone(definition) as never, { validationOptions: { checkArn: false, checkPaths: true } }).run(JSON.parse(execution.input) as never, {
      overrides: { taskResourceLocalHandlers: handlers as never },
    }).result;
  };
  twin = await startTwinAws({ runExecution });
  const fn = twin.asFunctionWith('states:StartExecution', stateMachineArnVariable('session'));
  const sfn = new SFNClient(fn.config);
  const executions = twin.aws.stepFunctions.executions;
  return {
    // A workflow the stack does not deploy gets an ARN no machine has: Step Functions answers StateMachineDoesNotExist.
    workflows: new SfnWorkflows(sfn, (w) => fn.env[stateMachineArnVariable(w)] ?? `arn:aws:states:${fn.env.AWS_REGION}:000000000000:stateMachine:${w}`),
    ran: async () => {
      await expect.poll(() => [...executions.values()].some((e) => e.status === 'RUNNING'), { timeout: 30_000 }).toBe(false);
      return runs;
    },
    stop: async () => {
      sfn.destroy();
      await twin!.stop();
    },
  };
});

describe('npm start keeps its executions across a restart', () => {
  it('starting again an execution that ended before the restart is the same execution, and runs nothing', async () => {
    const h = await journaledRunner();
    try {
      const input = { action: 'remind', candidateId: 'k-restart' };
      const first = await h.workflows.start('capitalisation', 'remind-k-restart', input);
      await h.ran();
      const restarted = await h.restart();
      expect((await restarted.start('capitalisation', 'remind-k-restart', input)).executionId).toBe(first.executionId);
      expect((await h.ran()).filter((r) => r.input.candidateId === 'k-restart')).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });
});
