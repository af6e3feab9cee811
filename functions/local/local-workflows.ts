import { StateMachine } from 'aws-local-stepfunctions';
import type { WorkflowDefinition } from '../../infra/workflows/workflow.js';
import { renderWorkflow, type RenderedWorkflow } from '../../infra/workflows/render.js';
import type { Workflows } from '../ports/workflows.js';
import type { LedgerDeps } from '../shared/deps.js';
import '../shared/polyfills.js';
import { workflowSteps } from '../workflows/steps.js';
import type { ExecutionJournal, ExecutionRecord } from './execution-journal.js';

/** The ARN an execution gets locally, from its workflow and its name (as Step Functions names it). */
export const localExecutionArn = (workflow: string, executionName: string) => `arn:aws:states:local:000000000000:execution:${workflow}:${executionName}`;

export interface Execution {
  executionId: string;
  workflow: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  done: Promise<void>;
  /** Settles once the execution is recorded in the journal (at once without one). */
  persisted: Promise<void>;
}

/**
 * Runs the workflows locally with aws-local-stepfunctions, from the very ASL the CDK app deploys (rendered
 * from the same definitions); each Task runs its step module in this process, with the local ports. With a
 * journal, each execution is recorded before it runs and marked when it ends, and `recover()` at start runs
 * again those a crash cut short, as Step Functions would have carried them on.
 */
export class LocalWorkflows implements Workflows {
  private readonly rendered = new Map<string, RenderedWorkflow>();
  private readonly executions = new Map<string, Execution>();
  /** Executions of earlier runs of the ledger that ended (from the journal): starting them again does nothing. */
  private readonly ended = new Set<string>();

  constructor(
    private readonly deps: () => LedgerDeps,
    private readonly definitions: readonly WorkflowDefinition[],
    private readonly options: {
      /** Milliseconds between retries (tests use 0); AWS's intervals otherwise. */
      retryIntervalMs?: number;
      /** Called before each start: tests make Step Functions unavailable here (a throw is the start failing). */
      interceptStart?: (workflow: string, executionName: string) => void | Promise<void>;
      /** Wraps each Task: tests inject failures here. */
      interceptTask?: (state: string, input: unknown, run: () => Promise<unknown>) => Promise<unknown>;
      /** Each state entered or retried, as Step Functions bills its state transitions (the cost bench counts them). */
      onTransition?: (workflow: string, state: string) => void;
      /** Where executions are recorded before they run (the local runtime: dynalite); in memory only without. */
      journal?: ExecutionJournal;
    } = {},
  ) {}

  async start(workflow: string, executionName: string, input: Record<string, unknown>): Promise<{ executionId: string }> {
    await this.options.interceptStart?.(workflow, executionName);
    const executionId = localExecutionArn(workflow, executionName);
    const existing = this.executions.get(executionId);
    if (existing) {
      await existing.persisted; // acknowledged only once durable, whoever started it
      return { executionId };
    }
    if (this.ended.has(executionId)) return { executionId };
    this.render(workflow); // an unknown workflow fails here, before anything is recorded
    const record: ExecutionRecord = { executionId, workflow, name: executionName, input, status: 'RUNNING', startedAt: new Date().toISOString(), runs: 1 };
    const execution: Execution = { executionId, workflow, status: 'RUNNING', done: Promise.resolve(), persisted: Promise.resolve() };
    this.executions.set(executionId, execution); // claimed at once: a concurrent start with this name waits for this one
    const journal = this.options.journal;
    const begun = journal ? journal.begin(record) : Promise.resolve(true);
    execution.persisted = begun.then(() => undefined);
    execution.persisted.catch(() => {}); // reported to every caller that awaits it
    execution.done = begun
      .then(
        (fresh) => {
          if (fresh) return this.run(execution, record);
          // An earlier run of the ledger recorded it: ended, or still running and resumed by recover().
          this.executions.delete(executionId);
          this.ended.add(executionId);
        },
        () => {
          this.executions.delete(executionId); // not recorded: a retried start records it again
        },
      )
      .catch((error: unknown) => this.failed(execution, error));
    await begun; // the start is acknowledged only once recorded (it throws if the record failed)
    return { executionId };
  }

  /**
   * At start: reads the journal, remembers the executions that ended (starting one of them again is a no-op, as
   * in Step Functions), and runs again from their start those a crash or a kill cut short. Their steps are
   * idempotent, so what the first run did is not done twice. Returns the executions resumed.
   */
  async recover(): Promise<ExecutionRecord[]> {
    const journal = this.options.journal;
    if (!journal) return [];
    const resumed: ExecutionRecord[] = [];
    for (const record of await journal.all()) {
      if (record.status !== 'RUNNING') {
        this.ended.add(record.executionId);
        continue;
      }
      if (this.executions.has(record.executionId)) continue;
      const again = { ...record, runs: record.runs + 1 };
      const execution: Execution = { executionId: record.executionId, workflow: record.workflow, status: 'RUNNING', done: Promise.resolve(), persisted: Promise.resolve() };
      this.executions.set(record.executionId, execution);
      execution.done = journal
        .rerun(record.executionId, again.runs)
        .then(() => this.run(execution, again))
        .catch((error: unknown) => this.failed(execution, error));
      resumed.push(again);
    }
    return resumed;
  }

  /** The runner itself failed (not a step: those end the execution FAILED through the state machine). */
  private failed(execution: Execution, error: unknown) {
    this.deps().logger.error('workflow execution could not run', { executionId: execution.executionId, error: error as Error });
    execution.error = String(error);
    execution.status = 'FAILED';
  }

  /** Runs the execution to its end, then records how it ended; `status` changes only once that is recorded. */
  private run(execution: Execution, record: ExecutionRecord): Promise<void> {
    const { executionId, workflow, name: executionName, input } = record;
    const rendered = this.render(workflow);
    const overrides: Record<string, (input: any) => Promise<any>> = {};
    const intervals: Record<string, number> = {};
    for (const [state, module] of Object.entries(rendered.taskModules)) {
      const load = workflowSteps[module];
      if (!load) throw new Error(`no step module ${module} for Task ${state}`);
      overrides[state] = async (payload: unknown) => {
        const run = async () => (await load()).step.run(this.deps(), payload);
        return (this.options.interceptTask ? this.options.interceptTask(state, payload, run) : run()) as Promise<any>;
      };
      if (this.options.retryIntervalMs !== undefined) intervals[state] = this.options.retryIntervalMs;
    }
    // aws-local-stepfunctions mutates the definition it is given.
    const machine = new StateMachine(structuredClone(rendered.asl) as never, { validationOptions: { checkArn: false } });
    const run = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: overrides, retryIntervalOverrides: intervals },
      context: { Execution: { Id: executionId, Name: executionName, Input: input, StartTime: record.startedAt } } as never,
    });
    const onTransition = this.options.onTransition;
    if (onTransition)
      void (async () => {
        for await (const event of run.eventLogs) if (event.type === 'StateEntered' || event.type === 'StateRetried') onTransition(workflow, event.state.name);
      })().catch(() => undefined);
    return run.result
      .then(
        (output) => ({ status: 'SUCCEEDED' as const, output, error: undefined }),
        (error: Error) => {
          this.deps().logger.error('workflow execution failed', { executionId, error });
          return { status: 'FAILED' as const, output: undefined, error: `${error.name}: ${error.message}` };
        },
      )
      .then(async (ended) => {
        try {
          await this.options.journal?.end(executionId, ended.status, new Date().toISOString(), ended.error);
        } catch (error) {
          // Still RUNNING in the journal: the next start runs it again (its steps are idempotent).
          this.deps().logger.error('workflow execution end not recorded', { executionId, error: error as Error });
        }
        execution.output = ended.output;
        if (ended.error) execution.error = ended.error;
        execution.status = ended.status;
      });
  }

  get running(): boolean {
    return [...this.executions.values()].some((e) => e.status === 'RUNNING');
  }

  execution(executionId: string): Execution | undefined {
    return this.executions.get(executionId);
  }

  /** Waits until every execution started so far has ended. */
  async drain(): Promise<void> {
    let pending: Promise<void>[];
    do {
      pending = [...this.executions.values()].filter((e) => e.status === 'RUNNING').map((e) => e.done);
      await Promise.all(pending);
    } while (pending.length);
  }

  private render(workflow: string): RenderedWorkflow {
    let rendered = this.rendered.get(workflow);
    if (!rendered) {
      const definition = this.definitions.find((d) => d.name === workflow);
      if (!definition) throw new Error(`no workflow ${workflow}`);
      rendered = renderWorkflow(definition);
      this.rendered.set(workflow, rendered);
    }
    return rendered;
  }
}
