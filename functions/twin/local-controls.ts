import { decodeJwt } from 'jose';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { peerUserRefusal, readProcNet, type ProcNetReader } from '../local/peer-user.js';
import { CognitoError } from './local-cognito.js';
import { claimsOf } from './token.js';
import { ClockRefused, type TwinClock } from './twin-clock.js';

/**
 * The local-only controls of API.md, served by the twin itself (they never exist in AWS): POST /_local/clock
 * moves a virtual clock and fires what fell due; POST /_local/tokens mints a token of the stack's user pool.
 * Both answer loopback callers of the user who runs the twin only (functions/local/peer-user.ts), in problem+json
 * like the API.
 */

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

const clockBody = z.object({ now: z.iso.datetime({ offset: true }) });
const tokenBody = z.union([z.object({ role: z.string().min(1), ledgerId: z.string().min(1), region: z.string().min(1).max(100).optional() }), z.object({ email: z.email() })]);
/** What the answer says of the account, read from the ID token the pool issued. */
const idClaims = z.object({ 'cognito:groups': z.array(z.string()).default([]), 'custom:ledger_id': z.string().optional() });

export interface LocalControlsOptions {
  clock: TwinClock;
  /** Walks the clock to `instant`, firing each schedule due on the way. */
  advance: (instant: Date) => Promise<void>;
  token: (claims: Record<string, unknown>) => Promise<string>;
  /** Signs in as an account already in the user pool (invited through the API), as the sign-in page does. */
  signInAs: (email: string) => Promise<string>;
  /** Where a loopback peer's user is read from (/proc/net/tcp); tests give another. */
  procNet?: ProcNetReader;
}

const send = (res: ServerResponse, status: number, body: unknown, contentType = 'application/json') => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
};
const problem = (res: ServerResponse, status: number, code: string, detail: string, errors?: unknown) =>
  send(res, status, { type: `/problems/${code}`, title: code, status, detail, ...(errors ? { errors } : {}) }, 'application/problem+json');

function parsed<T>(schema: z.ZodType<T>, body: Buffer, res: ServerResponse): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8') || 'null');
  } catch {
    problem(res, 400, 'bad-request', 'the body is not JSON');
    return undefined;
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    problem(
      res,
      400,
      'bad-request',
      'the body does not match',
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
    return undefined;
  }
  return r.data;
}

export function localControls(options: LocalControlsOptions) {
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://twin').pathname;
    if (req.method !== 'POST' || (path !== '/_local/clock' && path !== '/_local/tokens')) return false;
    if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
      problem(res, 403, 'forbidden', 'local controls answer callers on this machine only');
      return true;
    }
    const { remoteAddress, remotePort, localAddress, localPort } = req.socket;
    const otherUser = peerUserRefusal({ remoteAddress, remotePort, localAddress, localPort }, options.procNet ?? readProcNet);
    if (otherUser) {
      problem(res, 403, 'local-only', otherUser);
      return true;
    }
    if (path === '/_local/clock') {
      if (!options.clock.virtual) {
        problem(res, 404, 'not-found', 'no virtual clock: start with LEDGER_CLOCK=virtual:<instant>');
        return true;
      }
      const input = parsed(clockBody, body, res);
      if (!input) return true;
      const target = new Date(input.now);
      try {
        // The whole move is checked before anything falls due on the way.
        options.clock.check(target);
        await options.advance(target);
      } catch (e) {
        if (e instanceof ClockRefused) {
          problem(res, 422, e.code, e.message);
          return true;
        }
        throw e;
      }
      send(res, 200, { now: options.clock.now().toISOString() });
      return true;
    }
    const input = parsed(tokenBody, body, res);
    if (!input) return true;
    let token: string;
    try {
      token = 'email' in input ? await options.signInAs(input.email) : await options.token(claimsOf(input));
    } catch (e) {
      // The answers npm start gives (API.md, local-only controls), from what the user pool said.
      const code = e instanceof CognitoError ? e.code : undefined;
      if (code === 'UserNotFoundException') problem(res, 404, 'account-not-found', 'no account was invited with this email');
      else if (code === 'NotAuthorizedException') problem(res, 403, 'account-disabled', 'this account was disabled');
      // The user pool refused the account (an attribute its schema does not declare, …): say why.
      else problem(res, 422, 'token-refused', (e as Error).message);
      return true;
    }
    const claims = idClaims.parse(decodeJwt(token));
    send(res, 200, { token, role: claims['cognito:groups'][0] ?? null, ledgerId: claims['custom:ledger_id'] ?? null });
    return true;
  };
}
