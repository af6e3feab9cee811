import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { twinToken } from './token.js';
import { warnIfPeerUserCannotBeTold } from '../local/peer-user.js';
import { startTwin } from './twin.js';

/**
 * `npm run twin`: the stack of cdk.out served on PORT (3000), its state under LEDGER_DATA_DIR/twin (.ledger/).
 * `npm run --silent twin -- token <role> <ledgerId> [region]` (or `npm run token` on a twin's data dir): an ID
 * token of the stack's user pool in cognito-local, for an account with the claims of an invited one
 * (`cognito:groups`, `custom:ledger_id`, `custom:region`), through the twin running on the data dir or, when
 * none runs, through the pool kept in it.
 */
const env = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LEDGER_DATA_DIR: z.string().default('.ledger'),
    LEDGER_CLOCK: z.string().default('system'),
  })
  .parse(process.env);

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dataDir = resolve(env.LEDGER_DATA_DIR);
const [command, ...args] = process.argv.slice(2);

if (command === 'token') {
  const [role, ledgerId, region] = args;
  if (!role || !ledgerId) {
    console.error('usage: npm run --silent twin -- token <role> <ledgerId> [region]');
    process.exit(2);
  }
  console.log(await twinToken(root, dataDir, { role, ledgerId, ...(region ? { region } : {}) }));
} else {
  warnIfPeerUserCannotBeTold();
  const twin = await startTwin({ root, dataDir, port: env.PORT, clock: env.LEDGER_CLOCK, log: (line) => console.log(line) });
  console.log(`twin of ${twin.model.stackName} on ${twin.url} (data in ${join(dataDir, 'twin')})`);
  const shutdown = () => {
    twin.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
