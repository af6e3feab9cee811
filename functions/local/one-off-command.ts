// How every one-off command (`npm run rebuild`, `verify-ledger`, `reissue-credentials`, `restart-session-workflow`)
// opens the local ledger: the data dir checked, its stand-ins started as `npm start` starts them (unix sockets in a
// private 0700 folder, reached only through the SigV4 guards on loopback with the data dir's credentials: a command
// never opens an unguarded port, issue 17), and one explanation when `npm start` still holds the data dir.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type LedgerOperations, localOperations } from '../composition/operations.js';
import { resolveDataDir } from './data-dir.js';
import { type LocalStandIns, startLocalStandIns } from './stand-ins.js';

/** A one-off command's refusal: its message for stderr and its exit code. */
export class CommandRefused extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The data dir a command works on (LEDGER_DATA_DIR, default .ledger/); refused when it holds no ledger. */
export function commandDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dataDir = resolveDataDir(env);
  if (!existsSync(join(dataDir, 'dynamodb'))) throw new CommandRefused(`no ledger in ${dataDir} (set LEDGER_DATA_DIR, or EVENTS_TABLE for AWS)`, 2);
  return dataDir;
}

const inUse = (dataDir: string) => `cannot open the ledger in ${dataDir}: is \`npm start\` still running on it? Stop it first: dynalite holds a lock on its data.`;
// LevelDB's lock on a data dir `npm start` holds: dynalite says so only by failing requests, some from a callback.
const isLockFailure = (error: unknown) => /Database is (closed|not open)|failed to open|LOCK/i.test(String((error as Error)?.message ?? error));

/**
 * While a command has the data dir open: dynalite throws a lock failure from a callback, out of every promise, so
 * it is caught here and explained (exit 2) rather than printed as a crash.
 */
function explainLockFailures(dataDir: string) {
  const onError = (error: Error) => {
    if (isLockFailure(error)) {
      console.error(inUse(dataDir));
      process.exit(2);
    }
    console.error(error);
    process.exit(3);
  };
  process.on('uncaughtException', onError);
  return () => process.off('uncaughtException', onError);
}

async function refuseWhenLocked<T>(dataDir: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (isLockFailure(error)) throw new CommandRefused(inUse(dataDir), 2);
    throw error;
  }
}

/** The events table and read models of a stopped ledger, for the operator's tools: nothing runs but the command. */
export async function openLocalOperations(dataDir: string): Promise<LedgerOperations & { standIns: LocalStandIns; close(): Promise<void> }> {
  keepToUser();
  const forget = explainLockFailures(dataDir);
  const standIns = await startLocalStandIns({ dataDir, sockets: 'private' });
  const ops = localOperations(standIns.dynamoEndpoint, dataDir, standIns.credentials);
  const close = async () => {
    ops.close();
    await standIns.close();
    forget();
  };
  // The lock shows on the first request: before the command reads or writes anything.
  await refuseWhenLocked(dataDir, () => ops.dynamo.send(new ListTablesCommand({}))).catch(async (error) => {
    await close();
    throw error;
  });
  return { ...ops, standIns, close };
}

/**
 * The whole local ledger of a stopped `npm start` (workflows, projector, signer), without its HTTP server. The
 * credentials and PDFs it signs name the public host `npm start` serves under: PUBLIC_BASE_URL, else
 * http://localhost:<PORT or 3000>.
 */
export async function openLocalLedger(dataDir: string) {
  process.env.PUBLIC_BASE_URL ||= `http://localhost:${process.env.PORT || 3000}`;
  keepToUser();
  const forget = explainLockFailures(dataDir);
  const { startLocalLedger } = await import('./runtime.js');
  const ledger = await refuseWhenLocked(dataDir, () => startLocalLedger({ dataDir, serve: false, sockets: 'private', logLevel: 'SILENT', clock: process.env.LEDGER_CLOCK }));
  return {
    ...ledger,
    async stop() {
      await ledger.stop();
      forget();
    },
  };
}

/**
 * What a command writes in the data dir (dynalite's files, the read-models-table switch, s3rver's objects) is its
 * user's only, as under `npm start` (main.ts): folders 0700, files 0600, whatever umask the shell had.
 */
function keepToUser() {
  process.umask(0o077);
}

/** A command's main: its exit code, a refusal printed on stderr with its own. */
export async function runCommand(main: () => Promise<number>): Promise<void> {
  keepToUser();
  process.exitCode = await main().catch((error: unknown) => {
    if (error instanceof CommandRefused) {
      console.error(error.message);
      return error.exitCode;
    }
    console.error(error);
    return 3;
  });
}
