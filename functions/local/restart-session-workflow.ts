// `npm run restart-session-workflow -- <sessionId> <attempt>`: runs the session workflow of a validated PV again,
// as execution `session-<sessionId>-attempt-<attempt>` (functions/reactions/session-workflow-trigger.ts). Step
// Functions keeps a name taken for 90 days after its execution ended, so the first run's name cannot be reused;
// pick the attempt after the highest already run (`aws stepfunctions list-executions --state-machine-arn … ` shows
// them). Every step is idempotent: candidates already done stay as they are. API.md has no route for it: it is an
// operator's action, after the cause of the failure (in the execution's history) is fixed.
// In AWS: run it with the environment of the deployed functions (EVENTS_TABLE, READ_MODELS_TABLE,
// SESSION_STATE_MACHINE_ARN, …) and credentials allowed states:StartExecution on the session state machine and
// reads of the events table. Locally: on the data dir, with `npm start` stopped (dynalite holds a lock on it).
import { restartSessionWorkflow } from '../reactions/session-workflow-trigger.js';
import { commandDataDir, openLocalLedger, runCommand } from './one-off-command.js';

async function main(): Promise<number> {
  const [sessionId, attemptText] = process.argv.slice(2);
  if (!sessionId || !attemptText) {
    console.error('usage: npm run restart-session-workflow -- <sessionId> <attempt (2 or more)>');
    return 2;
  }
  const attempt = Number(attemptText);
  if (process.env.EVENTS_TABLE) {
    const { awsLedger } = await import('../composition/aws-ledger.js');
    const started = await restartSessionWorkflow(awsLedger().deps, sessionId, attempt);
    console.log(`started ${started.executionName}: ${started.executionId}`);
    return 0;
  }
  const ledger = await openLocalLedger(commandDataDir());
  try {
    const started = await restartSessionWorkflow(ledger.deps, sessionId, attempt);
    await ledger.settle();
    console.log(`ran ${started.executionName}: ${started.executionId}`);
    return 0;
  } finally {
    await ledger.stop();
  }
}

await runCommand(main);
