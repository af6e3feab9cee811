import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localTokenKeys, signLocalToken } from '../../functions/local/local-token.js';
import { type LocalLedgerOptions, startLocalLedger } from '../../functions/local/runtime.js';
import type { Role } from '../../functions/shared/auth.js';

export type LocalLedger = Awaited<ReturnType<typeof startTestLedger>>;

/** The whole local runtime in this process, on a free port, talked to over real HTTP. */
export async function startTestLedger(
  options: { dataDir?: string; clock?: string; workflowOptions?: LocalLedgerOptions['workflowOptions']; procNet?: LocalLedgerOptions['procNet'] } = {},
) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ledger-test-'));
  const ledger = await startLocalLedger({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    clock: options.clock,
    logLevel: 'SILENT',
    ...(options.workflowOptions ? { workflowOptions: options.workflowOptions } : {}),
    ...(options.procNet ? { procNet: options.procNet } : {}),
  });
  const keys = await localTokenKeys(dataDir);
  const tokens = new Map<string, string>();
  const token = async (role: Role, ledgerId: string, region?: string) => {
    const k = `${role}:${ledgerId}:${region ?? ''}`;
    if (!tokens.has(k)) tokens.set(k, await signLocalToken(keys, role, ledgerId, region ? { region } : {}));
    return tokens.get(k)!;
  };
  const call = async (method: string, path: string, opts: { as?: [Role, string, string?]; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.as) headers.authorization = `Bearer ${await token(...opts.as)}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(ledger.url + path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  return { ...ledger, dataDir, token, call, keys };
}
