import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { startTwin, twinToken } from './twin.js';

/**
 * `npm run twin`: the stack of cdk.out served on PORT (3000), its state under LEDGER_DATA_DIR/twin (.ledger/).
 * `npm run --silent twin -- token <role> <ledgerId> [region]`: an ID token the twin's authorizer accepts,
 * with the claims of an invited account (`cognito:groups`, `custom:ledger_id`, `custom:region`): from the twin
 * running on PORT, or else signed with the local issuer's key of the data dir.
 */
const env = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LEDGER_DATA_DIR: z.string().default('.ledger'),
    LEDGER_CLOCK: z.string().default('system'),
    /** `local`: the user pool is cognito-local's (functions/twin/README.md); otherwise the local issuer signs tokens. */
    TWIN_COGNITO: z.enum(['local', 'issuer']).default('issuer'),
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
  // A running twin mints through its own user pool (cognito-local or the issuer); without one, the issuer's key file.
  const running = await fetch(`http://127.0.0.1:${env.PORT}/_local/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role, ledgerId, ...(region ? { region } : {}) }) }).catch(() => undefined);
  if (running) {
    const answer = (await running.json()) as { token?: string; detail?: string };
    if (!answer.token) {
      console.error(`the twin on port ${env.PORT} refused: ${answer.detail ?? running.status}`);
      process.exit(1);
    }
    console.log(answer.token);
  } else console.log(await twinToken(root, dataDir, { 'cognito:groups': [role], 'custom:ledger_id': ledgerId, ...(region ? { 'custom:region': region } : {}) }));
} else {
  const twin = await startTwin({ root, dataDir, port: env.PORT, clock: env.LEDGER_CLOCK, cognito: env.TWIN_COGNITO === 'local', log: (line) => console.log(line) });
  console.log(`twin of ${twin.model.stackName} on ${twin.url} (data in ${join(dataDir, 'twin')})`);
  const shutdown = () => {
    twin.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
