import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { startLocalCognito } from './local-cognito.js';
import { recordedTwin } from './running.js';
import { createResolver } from './resolver.js';
import { ensureSynth } from './synth.js';
import { readStack } from './template.js';

/**
 * An ID token of the twin's user pool for the token command (`npm run token` with a twin's LEDGER_DATA_DIR,
 * or `npm run twin -- token`): the account with these groups and attributes is created in cognito-local if
 * it is not there yet, then signed in, as an invited account signs in on AWS.
 */

const answer = z.object({ token: z.string().min(1) });
const refusal = z.object({ detail: z.string() }).partial();

export interface TwinAccount {
  role: string;
  ledgerId: string;
  region?: string;
}

export async function twinToken(root: string, dataDir: string, account: TwinAccount): Promise<string> {
  const twin = await recordedTwin(dataDir);
  if (twin.state === 'alive') {
    // Its cognito-local owns the pool's files while it runs: ask the twin, which signs in through it.
    const res = await fetch(`${twin.url}/_local/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(account) });
    const body: unknown = await res.json().catch(() => ({}));
    const ok = answer.safeParse(body);
    if (!res.ok || !ok.success) throw new Error(`the twin at ${twin.url} refused the token: ${refusal.safeParse(body).data?.detail ?? res.status}`);
    return ok.data.token;
  }
  // Stopped: the pool is in the data dir; run cognito-local on it just long enough to sign in.
  const model = readStack((await ensureSynth({ root })).outdir);
  const pool = model.userPools[0];
  if (!pool) throw new Error('the stack has no user pool: no token to make');
  const cognito = await startLocalCognito(model, createResolver(model).region, join(dataDir, 'twin', 'cognito'));
  try {
    return await cognito.signIn(pool.logicalId, accountOf(claimsOf(account)));
  } finally {
    await cognito.stop();
  }
}

/** The claims an invited account's ID token carries: its group, `custom:ledger_id`, and a DREETS agent's `custom:region`. */
export const claimsOf = ({ role, ledgerId, region }: TwinAccount): Record<string, unknown> => ({
  'cognito:groups': [role],
  'custom:ledger_id': ledgerId,
  ...(region ? { 'custom:region': region } : {}),
});

export { runningFile } from './running.js';

/** The account a token's claims describe: its groups, its custom attributes, a stable address of its own. */
export function accountOf(claims: Record<string, unknown>) {
  const groups = [claims['cognito:groups'] ?? []].flat().map(String);
  const attributes = Object.fromEntries(Object.entries(claims).filter(([k, v]) => k.startsWith('custom:') && typeof v === 'string')) as Record<string, string>;
  const email =
    typeof claims.email === 'string'
      ? claims.email
      : `${createHash('sha256')
          .update(JSON.stringify([groups, attributes]))
          .digest('hex')
          .slice(0, 16)}@twin.invalid`;
  return { email, groups, attributes };
}
