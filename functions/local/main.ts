// `npm start`: the whole ledger on this machine.
import { resolveDataDir } from './data-dir.js';
import { warnIfPeerUserCannotBeTold } from './peer-user.js';
import { startLocalLedger } from './runtime.js';

// The data dir holds the vault's master key, the signing keys and the ledger: readable by this user only.
process.umask(0o077);
const dataDir = resolveDataDir();
const port = Number(process.env.PORT ?? 3000);
// LEDGER_HOST: the address to listen on; this machine only (127.0.0.1) unless told otherwise, since the local
// controls (/_local/clock, /_local/tokens) must never be reachable from elsewhere.
const ledger = await startLocalLedger({
  dataDir,
  port,
  host: process.env.LEDGER_HOST || undefined,
  clock: process.env.LEDGER_CLOCK,
  logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'WARN',
});

warnIfPeerUserCannotBeTold();
console.log(`certification-ledger is running on ${ledger.url}  (data in ${dataDir}, clock ${ledger.clock.isVirtual ? `virtual at ${ledger.clock.now()}` : 'system'})`);
const { from, commits } = ledger.catchUp;
console.log(
  from === 'checkpoint'
    ? `  start:      resumed from the change feed's checkpoint, no history replayed (${commits} commit(s) the last stop left undelivered, delivered now)`
    : commits === 0
      ? "  start:      a new ledger; later starts resume from the change feed's checkpoint, without replaying history"
      : `  start:      no change-feed checkpoint in this data dir yet: caught up once from the whole table (${commits} commits); later starts resume from the checkpoint`,
);
console.log(`  health:     curl ${ledger.url}/health`);
console.log(`  pages:      ${ledger.url}/  (/v, /candidat, /certificateurs, /ministere; sign in at /connexion)`);
console.log(`  contract:   ${ledger.url}/openapi.json`);
console.log(`  a token:    LEDGER_DATA_DIR=${dataDir} npm run --silent token -- <centre|juror|dreets|ministry|candidate> <ledgerId> [region]`);
console.log('              (each data dir signs with its own key: a token made on another data dir is refused with 401)');
console.log(`              curl -H "Authorization: Bearer $(LEDGER_DATA_DIR=${dataDir} npm run --silent token -- dreets agent-1 Bretagne)" ...`);
console.log('Ctrl-C stops it; the data stays for the next start.');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  const timer = setTimeout(() => process.exit(1), 10_000);
  await ledger.stop();
  clearTimeout(timer);
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
