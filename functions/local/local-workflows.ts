import { StateMachine } from 'aws-local-stepfunctions';
import type { WorkflowDefinition } from '../../infra/workflows/workflow.js';
import { renderWorkflow, type RenderedWorkflow } from '../../infra/workflows/render.js';
import type { Workflows } from '../ports/workflows.js';
import type { LedgerDeps } from '../shared/deps.js';
import '../shared/polyfills.js';
import { workflowSteps } from '../workflows/steps.js';

export interface Execution {
  executionId: string;
  workflow: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  done: Promise<void>;
}

/**
 * Runs the workflows locally with aws-local-stepfunctions, from the very ASL the CDK app deploys (rendered
 * from the same definitions); each Task runs its step module in this process, with the local ports.
 */
export class LocalWorkflows implements Workflows {
  private readonly rendered = new Map<string, RenderedWorkflow>();
  private readonly executions = new Map<string, Execution>();

  constructor(
    private readonly deps: () => LedgerDeps,
    private readonly definitions: readonly WorkflowDefinition[],
    private readonly options: {
      /** Milliseconds between retries (tests use 0); AWS's intervals otherwise. */
      retryIntervalMs?: number;
      /** Wraps each Task: tests inject failures here. */
      interceptTask?: (state: string, input: unknown, run: () => Promise<unknown>) => Promise<unknown>;
    } = {},
  ) {}

  async start(workflow: string, executionName: string, input: Record<string, unknown>): Promise<{ executionId: string }> {
    const executionId = `arn:aws:states:local:000000000000:execution:${workflow}:${executionName}`;
    if (this.executions.has(executionId)) return { executionId };
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
      context: { Execution: { Id: executionId, Name: executionName, Input: input, StartTime: new Date().toISOString() } } as never,
    });
    const execution: Execution = { executionId, workflow, status: 'RUNNING', done: Promise.resolve() };
    execution.done = run.result.then(
      (output) => {
        execution.status = 'SUCCEEDED';
        execution.output = output;
      },
      (error: Error) => {
        execution.status = 'FAILED';
        execution.error = `${error.name}: ${error.message}`;
        this.deps().logger.error('workflow execution failed', { executionId, error });
      },
    );
    this.executions.set(executionId, execution);
    return { executionId };
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
