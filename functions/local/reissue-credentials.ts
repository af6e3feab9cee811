// `npm run reissue-credentials`: signs again, with a revocation status list entry and a subject id, the credential
// of every certificate issued before credentials had them (issue 19). Run it once after upgrading; a second run
// reissues nothing.
// Locally it opens the data dir (LEDGER_DATA_DIR, default .ledger/) in the local runtime: stop `npm start` first
// (dynalite holds a lock on it). The credentials name the public host, so give the one `npm start` serves under:
// PUBLIC_BASE_URL, else http://localhost:<PORT or 3000>.
// In AWS: run it with the environment of the deployed functions (EVENTS_TABLE, READ_MODELS_TABLE, SIGNING_KEY_ID,
// PUBLIC_BASE_URL, … as `aws lambda get-function-configuration` of the attach-certificate-documents step shows) and
// credentials allowed what that step is allowed (append to the events table, kms:Sign); the Streams projector
// then updates the read models, so GET …/credential serves the new credential.
import { reissueCredentials } from '../certificates/reissue-credentials.js';
import { commandDataDir, openLocalLedger, runCommand } from './one-off-command.js';

async function main(): Promise<number> {
  if (process.env.EVENTS_TABLE) {
    const { awsLedger } = await import('../composition/aws-ledger.js');
    const { deps } = awsLedger();
    const report = await reissueCredentials(deps, console.log);
    console.log(`${report.reissued.length} credential(s) reissued, ${report.current} already current (AWS)`);
    return 0;
  }
  const ledger = await openLocalLedger(commandDataDir());
  try {
    const report = await reissueCredentials(ledger.deps, console.log);
    await ledger.settle();
    console.log(`${report.reissued.length} credential(s) reissued, ${report.current} already current, under ${ledger.deps.publicBaseUrl}`);
    return 0;
  } finally {
    await ledger.stop();
  }
}

await runCommand(main);
