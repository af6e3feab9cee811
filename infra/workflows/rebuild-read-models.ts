import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { WorkflowDefinition, WorkflowFunctions } from './workflow.js';

/** The rebuild's Lambda functions, by handler module under functions/. */
export const REBUILD_MODULES = {
  plan: 'operations/plan-read-model-rebuild',
  clear: 'operations/clear-read-model-segment',
  project: 'operations/rebuild-read-model-segment',
} as const;

/** Segments replayed at once: the events table's reads and the target's writes are on demand, Lambda's concurrency is not. */
export const REBUILD_CONCURRENCY = 64;

const task = (scope: Construct, functions: WorkflowFunctions, id: string, module: string, resultPath?: string) =>
  new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: functions(module),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    ...(resultPath ? { resultPath } : {}),
  })
    .addRetry({ errors: ['RebuildRefused'], maxAttempts: 0 })
    // A retry reads again from the cursor it was given: the pages it had applied change nothing the second time.
    .addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 5 });

/**
 * A Map over the plan's segments: each iteration loops one Task, an invocation of a few hundred pages at most,
 * whose output (the cursor, the counts) is the next invocation's input, until its segment is done. A Distributed
 * Map on AWS: each segment is a child execution with its own history (a Standard execution holds 25,000 events;
 * a segment of a national ledger loops thousands of times), and the Map's concurrency is not capped at 40.
 * aws-local-stepfunctions (3.0) has no distributed mode: it runs the same ItemProcessor inline, which is the same
 * iteration semantics over an items array, so the local runner and the twin run this very definition.
 */
function segmentsMap(scope: Construct, id: string, work: sfn.TaskStateBase, itemSelector: Record<string, unknown>, resultPath: string) {
  const done = new sfn.Succeed(scope, `${id}SegmentDone`);
  const map = new sfn.DistributedMap(scope, id, {
    itemsPath: '$.plan.segments',
    itemSelector: { 'target.$': '$.plan.target', 'segment.$': '$$.Map.Item.Value', 'budget.$': '$.plan.budget', ...itemSelector },
    maxConcurrency: REBUILD_CONCURRENCY,
    mapExecutionType: sfn.StateMachineType.STANDARD,
    resultPath,
  });
  map.itemProcessor(work.next(new sfn.Choice(scope, `${id}Finished`).when(sfn.Condition.booleanEquals('$.done', true), done).otherwise(work)));
  return map;
}

/**
 * Every read model rebuilt from the events table into the idle read-model table (README, "Rebuilding the read
 * models"), the served one untouched: plan (the target, refused if it is the served table), empty the target,
 * replay the ledger's scan segments into the documents, then again into the followers (the statistics rollups,
 * from complete documents), and report each segment's counts. `{"catchUp": true}` replays into the served
 * table without emptying it (after the switch). Started by an operator; never by the ledger.
 */
export const rebuildReadModelsWorkflow: WorkflowDefinition = {
  name: 'rebuild-read-models',
  definition(scope, functions) {
    const plan = task(scope, functions, 'PlanRebuild', REBUILD_MODULES.plan, '$.plan');
    const clear = segmentsMap(scope, 'ClearTarget', task(scope, functions, 'ClearPages', REBUILD_MODULES.clear), {}, sfn.JsonPath.DISCARD);
    const documents = segmentsMap(
      scope,
      'ReplayDocuments',
      task(scope, functions, 'ReplayDocumentPages', REBUILD_MODULES.project),
      { phase: 'documents', 'fresh.$': '$.plan.clear' },
      '$.documents',
    );
    const rollups = segmentsMap(scope, 'ReplayFollowers', task(scope, functions, 'ReplayFollowerPages', REBUILD_MODULES.project), { phase: 'followers' }, sfn.JsonPath.DISCARD);
    const report = new sfn.Pass(scope, 'Rebuilt', {
      parameters: { 'target.$': '$.plan.target', 'table.$': '$.plan.table', 'cleared.$': '$.plan.clear', 'segments.$': '$.documents' },
    });
    documents.next(rollups).next(report);
    return plan.next(new sfn.Choice(scope, 'EmptyTargetFirst').when(sfn.Condition.booleanEquals('$.plan.clear', true), clear.next(documents)).otherwise(documents));
  },
};
