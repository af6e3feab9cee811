import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Workflows } from '../ports/workflows.js';

/** Step Functions executions in AWS; the execution name makes a start idempotent. */
export class SfnWorkflows implements Workflows {
  constructor(
    private readonly client: Pick<SFNClient, 'send'>,
    private readonly stateMachineArn: (workflow: string) => string,
  ) {}

  async start(workflow: string, executionName: string, input: Record<string, unknown>) {
    const stateMachineArn = this.stateMachineArn(workflow);
    // Imported on first use: only the functions that start workflows load this SDK package.
    const { ExecutionAlreadyExists, StartExecutionCommand } = await import('@aws-sdk/client-sfn');
    const name = executionName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
    try {
      const out = await this.client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      return { executionId: out.executionArn! };
    } catch (error) {
      // Same name, same input: Standard workflows answer with the existing execution; different input throws.
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
      return { executionId: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}` };
    }
  }
}
