import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RebuildEnvironment } from '../../functions/composition/read-model-rebuild.js';
import { stackInstanceSuffix } from '../names.js';
import { acknowledge } from '../nag.js';
import { REBUILD_MODULES, rebuildReadModelsWorkflow } from '../workflows/rebuild-read-models.js';
import { constructIdOf, LedgerFunction, stateMachineName } from './ledger-functions.js';
import type { LedgerTables } from './ledger-tables.js';

export interface ReadModelRebuildProps {
  tables: LedgerTables;
  logRetention: logs.RetentionDays;
  /** The stage every function of the stack is told (issue 18): a development stage's logs and alarms say so too. */
  stage: string;
}

/**
 * The read-model rebuild as a deployed operation (README, "Rebuilding the read models"): the state machine
 * `<stack>-rebuild-read-models`, started by an operator, and its three functions. They are not in the ledger's
 * registry of functions: they have their own environment (both read-model tables) and the only grants in the
 * stack to Scan the events table (the segment replay) and to empty a read-model table (the clearing). None is
 * granted anything on the sign-in records' table: not derived from events, it is neither cleared nor rebuilt, and
 * both colours' functions read the same one (test/infra/read-model-rebuild.test.ts).
 */
export class ReadModelRebuild extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: Record<keyof typeof REBUILD_MODULES, LedgerFunction>;

  constructor(scope: Construct, id: string, props: ReadModelRebuildProps) {
    super(scope, id);
    const { tables } = props;
    const environment: RebuildEnvironment & Record<string, string> = {
      EVENTS_TABLE: tables.events.tableName,
      READ_MODELS_TABLE: tables.readModels.tableName,
      READ_MODELS_BLUE_TABLE: tables.readModelTables.blue.tableName,
      READ_MODELS_GREEN_TABLE: tables.readModelTables.green.tableName,
      NODE_OPTIONS: '--enable-source-maps',
      LEDGER_STAGE: props.stage,
    };
    const fn = (module: string, timeout: Duration, memorySize: number) =>
      new LedgerFunction(this, constructIdOf(module), { module, environment, logRetention: props.logRetention, timeout, memorySize });
    this.functions = {
      plan: fn(REBUILD_MODULES.plan, Duration.seconds(30), 256),
      // 15 minutes, the most Lambda allows; each invocation hands its cursor on two minutes before (MARGIN_MS).
      clear: fn(REBUILD_MODULES.clear, Duration.minutes(15), 512),
      // One full vCPU: decoding and projecting is CPU-bound between the reads.
      project: fn(REBUILD_MODULES.project, Duration.minutes(15), 1769),
    };
    const colours = Object.values(tables.readModelTables);
    // The replay: the ledger's scan (and gap filling, GetItem/Query) and the documents of the target, either colour
    // (into an emptied target, each page's documents in batches: BatchWriteItem).
    tables.events.grant(this.functions.project.role, 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem');
    for (const table of colours) table.grant(this.functions.project.role, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem');
    // Emptying the idle table: its keys scanned, deleted in batches (the function refuses the served colour).
    for (const table of colours) table.grant(this.functions.clear.role, 'dynamodb:Scan', 'dynamodb:BatchWriteItem');

    const name = stateMachineName(this, rebuildReadModelsWorkflow.name);
    const logGroup = new logs.LogGroup(this, 'Logs', { logGroupName: `/aws/vendedlogs/states/${name}-${stackInstanceSuffix()}`, retention: props.logRetention });
    const byModule = new Map<string, LedgerFunction>(Object.entries(REBUILD_MODULES).map(([step, module]) => [module, this.functions[step as keyof typeof REBUILD_MODULES]]));
    const definition = rebuildReadModelsWorkflow.definition(new Construct(this, 'States'), (module) => {
      const target = byModule.get(module);
      if (!target) throw new Error(`the rebuild has no function for ${module}`);
      return target.handler;
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      // Every event, without the states' input and output: the cursors carry `certificate#<code>` stream names.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      // A national ledger replays in hours; a stuck execution should not hold the idle table for a year.
      timeout: Duration.days(2),
    });
    acknowledge(
      this.stateMachine.role,
      'AwsSolutions-IAM5',
      'X-Ray tracing and CloudWatch Logs delivery only accept Resource "*" (test/infra checks that no other action gets it).',
      ['Resource::*'],
    );
    acknowledge(
      this.stateMachine.role,
      'AwsSolutions-IAM5',
      "lambda:InvokeFunction on the Task functions' versions and aliases (<function ARN>:*), as CDK grants it for Lambda tasks.",
      [/^Resource::<[A-Za-z0-9]+\.Arn>:\*$/],
    );
    acknowledge(
      this.stateMachine,
      'AwsSolutions-IAM5',
      'A Distributed Map runs each segment as a child execution of this state machine: CDK grants it states:StartExecution, DescribeExecution and StopExecution on its own executions, whose names Step Functions chooses (execution:<this machine>:*).',
      [/^Resource::arn:aws:states:.*:execution:.*ReadModelRebuildStateMachine.*:\*$/],
    );
  }
}
