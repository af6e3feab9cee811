// `npm run --silent token -- <role> <ledgerId> [region]`: prints a token the local server accepts, with the
// claims of an invited account (`custom:ledger_id`, and `custom:region` for a DREETS agent).
import { resolveDataDir } from './data-dir.js';
import { isRole, localTokenKeys, signLocalToken } from './local-token.js';

const [role, ledgerId, region] = process.argv.slice(2);
if (!role || !ledgerId || !isRole(role)) {
  console.error('usage: npm run --silent token -- <centre|juror|dreets|ministry|candidate> <ledgerId> [region]');
  process.exit(2);
}
const keys = await localTokenKeys(resolveDataDir());
console.log(await signLocalToken(keys, role, ledgerId, region ? { region } : {}));
