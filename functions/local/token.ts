// `npm run --silent token -- <role> <ledgerId> [region]`: prints a token the server on LEDGER_DATA_DIR accepts,
// with the claims of an invited account (`custom:ledger_id`, and `custom:region` for a DREETS agent): the local
// runtime's, or, when the data dir is a twin's (`npm run twin`), an ID token of the stack's user pool.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from './data-dir.js';
import { REGION_NAMES } from '../../referential/regions.js';
import { isRole, localTokenKeys, signLocalToken } from './local-token.js';

const [role, ledgerId, region] = process.argv.slice(2);
if (!role || !ledgerId || !isRole(role)) {
  console.error('usage: npm run --silent token -- <centre|juror|dreets|ministry|candidate> <ledgerId> [region]');
  process.exit(2);
}
if (region !== undefined && !(REGION_NAMES as readonly string[]).includes(region)) {
  console.error(`"${region}" is not one of the 18 regions: ${REGION_NAMES.join(', ')}`);
  process.exit(2);
}
const dataDir = resolveDataDir();
// A twin keeps its state in <dir>/twin and says where it runs in <dir>/twin/running.json; npm start keeps its
// dynalite in <dir>/dynamodb. The twin's token when one runs on this dir, or when only a twin ever ran here.
const twinState = join(dataDir, 'twin');
let twinRuns = false;
if (existsSync(join(twinState, 'running.json'))) {
  // A killed twin leaves its record behind: believe it only if the twin is really there.
  const { recordedTwin } = await import('../twin/running.js');
  const recorded = await recordedTwin(dataDir);
  twinRuns = recorded.state === 'alive';
  if (recorded.state === 'stale') {
    if (recorded.gone) rmSync(recorded.file, { force: true });
    console.error(`token: ${recorded.file} names a twin that does not run (${recorded.why})${recorded.gone ? '; removed it' : ''}.`);
  }
}
const forTwin = twinRuns || (existsSync(twinState) && !existsSync(join(dataDir, 'dynamodb')));
if (!twinRuns && forTwin) console.error(`token: no twin runs on ${dataDir}; signing in through the user pool it keeps there.`);
else if (!forTwin && existsSync(twinState)) console.error(`token: no twin runs on ${dataDir}; this is npm start's token.`);
if (forTwin) {
  // Loaded only here: the twin (and its dev dependencies) is no part of the local runtime.
  const { twinToken } = await import('../twin/token.js');
  if (twinRuns) console.error(`token for the twin whose LEDGER_DATA_DIR is ${dataDir}: an ID token of its user pool (npm start on another data dir refuses it: 401)`);
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
  console.log(await twinToken(root, dataDir, { role, ledgerId, ...(region ? { region } : {}) }));
} else if (!existsSync(join(dataDir, 'dynamodb'))) {
  // A mistyped or empty LEDGER_DATA_DIR: a key made here would sign tokens no running server accepts.
  console.error(
    `token: no ledger has run on ${dataDir}; start it there first (LEDGER_DATA_DIR=${dataDir} npm start), or set LEDGER_DATA_DIR to the data dir of the server you call`,
  );
  process.exit(2);
} else {
  // On stderr, so `TOKEN=$(npm run --silent token …)` keeps only the token: which server will accept it.
  console.error(`token for the server whose LEDGER_DATA_DIR is ${dataDir} (a server on another data dir refuses it: 401)`);
  const keys = await localTokenKeys(dataDir);
  console.log(await signLocalToken(keys, role, ledgerId, region ? { region } : {}));
}
