/** Starts Step Functions executions: AWS (StartExecution) or the local runner over the same ASL. */
export interface Workflows {
  /**
   * Starts `workflow` once per execution name: starting again with the same name (a retried request) returns
   * the same execution, as Standard workflows do in AWS.
   */
  start(workflow: string, executionName: string, input: Record<string, unknown>): Promise<{ executionId: string }>;
}
