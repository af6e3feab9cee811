// `npm run verify-ledger`: recomputes every stream's hash chain, a Merkle root over the stream heads, signs it as
// a checkpoint and prints it; names every modified commit and exits 1 then.
// Locally it opens the data dir (LEDGER_DATA_DIR, default .ledger/) as every one-off command does
// (functions/local/one-off-command.ts): stop `npm start` first, dynalite holds a lock on it. With EVENTS_TABLE set, it reads that table in AWS and signs with the KMS key (SIGNING_KEY_ID).
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { awsOperations, type LedgerOperations } from '../composition/operations.js';
import { checkLedger, rawCommitsOfTable, signCheckpoint } from '../ledger/ledger-check.js';
import { commandDataDir, openLocalOperations, runCommand } from './one-off-command.js';

async function main(): Promise<number> {
  let ops: LedgerOperations;
  let close = async () => {};
  if (process.env.EVENTS_TABLE) {
    ops = awsOperations();
    close = async () => ops.close();
    console.log(`verifying ${ops.eventsTable} (AWS)`);
  } else {
    const dataDir = commandDataDir();
    const local = await openLocalOperations(dataDir);
    ops = local;
    close = local.close;
    console.log(`verifying ${dataDir}`);
  }
  try {
    const check = await checkLedger(rawCommitsOfTable(ops.dynamo, ops.eventsTable));
    const signed = await signCheckpoint(check, ops.signer, new Date().toISOString());
    console.log(`${check.streams} streams, ${check.commits} commits, ${check.events} events`);
    console.log(`merkle root of the stream heads: ${check.root}`);
    console.log(`checkpoint (signed by ${signed.kid}): ${JSON.stringify(signed.checkpoint)}`);
    console.log(`checkpoint JWS: ${signed.jws}`);
    for (const b of check.broken) console.log(`MODIFIED: stream ${b.stream} version ${b.version}: ${b.reason}`);
    console.log(check.broken.length ? `ledger NOT intact: ${check.broken.length} stream(s) modified` : 'ledger intact');
    return check.broken.length ? 1 : 0;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      console.error(`no table ${ops.eventsTable}`);
      return 2;
    }
    throw error;
  } finally {
    await close();
  }
}

// 0: intact; 1: a commit was modified; 2: nothing to verify or the ledger is in use; 3: the check itself failed.
await runCommand(main);
