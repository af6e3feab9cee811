import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Role } from '../../functions/shared/auth.js';
import { startTestLedger } from './local-ledger.js';
import { projectRoot } from './spawned-ledger.js';

/**
 * The ledger a journey runs against, talked to over HTTP only: `local` (the local runtime, what `npm start`
 * runs) or `twin` (the synthesized stack, what `npm run twin` runs), chosen by LEDGER_TARGET. Tokens come from
 * the token command's libraries, the clock moves through POST /_local/clock, and nothing is awaited but
 * answers: a journey polls until what it expects is there, as a user would.
 */
export const Target = z.enum(['local', 'twin']);
export type Target = z.infer<typeof Target>;
export const TARGET: Target = Target.default('local').parse(process.env.LEDGER_TARGET || undefined);

export type As = [role: Role, ledgerId: string, region?: string];
export interface Answer {
  status: number;
  json: any;
  text: string;
  /** The body as sent (a PDF's bytes, which `text` would not keep). */
  bytes: Uint8Array;
  headers: Headers;
}
export interface HttpLedger {
  target: Target;
  url: string;
  call(method: string, path: string, opts?: { as?: As; body?: unknown; headers?: Record<string, string> }): Promise<Answer>;
  /** Moves the virtual clock forward; the ledger fires what falls due on the way. */
  setClock(now: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startLedgerTarget(options: { clock: string; target?: Target }): Promise<HttpLedger> {
  const target = options.target ?? TARGET;
  const dataDir = mkdtempSync(join(tmpdir(), `ledger-${target}-`));
  let url: string;
  let token: (as: As) => Promise<string>;
  let close: () => Promise<void>;
  if (target === 'local') {
    const L = await startTestLedger({ dataDir, clock: options.clock });
    url = L.url;
    token = (as) => L.token(...as);
    close = () => L.stop();
  } else {
    // Loaded only for this target: the twin is a dev tool of its own, with a synth of ~40 s the first time.
    const { startTwin } = await import('../../functions/twin/twin.js');
    const { twinToken } = await import('../../functions/twin/token.js');
    const twin = await startTwin({ root: projectRoot, dataDir, port: 0, clock: options.clock });
    url = twin.url;
    token = ([role, ledgerId, region]) => twinToken(projectRoot, dataDir, { role, ledgerId, ...(region ? { region } : {}) });
    close = () => twin.stop();
  }
  // One sign-in per account, even when a journey's first requests as it go out at once.
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (as: As) => {
    const k = as.join('|');
    if (!tokens.has(k)) tokens.set(k, token(as));
    return tokens.get(k)!;
  };
  const call: HttpLedger['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.as) headers.authorization = `Bearer ${await tokenOf(opts.as)}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, bytes, headers: res.headers };
  };
  return {
    target,
    url,
    call,
    async setClock(now) {
      const res = await call('POST', '/_local/clock', { body: { now } });
      if (res.status !== 200) throw new Error(`POST /_local/clock ${now}: ${res.status} ${res.text}`);
    },
    async stop() {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
