// `npm run --silent token -- <role> <sub>`: prints a token the local server accepts.
import { resolveDataDir } from './data-dir.js';
import { isRole, localTokenKeys, signLocalToken } from './local-token.js';

const [role, sub] = process.argv.slice(2);
if (!role || !sub || !isRole(role)) {
  console.error('usage: npm run --silent token -- <centre|juror|dreets|ministry|candidate> <sub>');
  process.exit(2);
}
const keys = await localTokenKeys(resolveDataDir());
console.log(await signLocalToken(keys, role, sub));
