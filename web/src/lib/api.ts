import { currentIdentity } from './auth.js';
import { describeProblem, problemCode, type Problem } from './problems.js';

/** A refusal of the API, with its problem+json and its French sentence as message. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(describeProblem(problem));
    this.name = 'ApiError';
  }
  get code() {
    return problemCode(this.problem);
  }
}

async function toProblem(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (typeof body.type === 'string') return { title: '', detail: '', ...body, type: body.type, status: body.status ?? res.status };
  } catch {
    /* not JSON */
  }
  return { type: `/problems/http-${res.status}`, title: res.statusText, status: res.status, detail: text.slice(0, 200) };
}

export interface CallOptions {
  body?: unknown;
  /** Sends the signed-in user's token (default); public routes pass false. */
  auth?: boolean;
  accept?: string;
  /** A write retried with the same key is answered once (API.md): no duplicate. */
  idempotencyKey?: string;
}

/** Calls the API at the same origin. Throws ApiError for a refusal, Error when the network fails. */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  const identity = options.auth === false ? undefined : currentIdentity();
  if (identity) headers.authorization = `Bearer ${identity.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), credentials: 'omit' });
  } catch {
    throw new Error('Le service ne répond pas : vérifiez votre connexion puis réessayez.');
  }
  if (!res.ok) throw new ApiError(await toProblem(res));
  return res;
}

export async function getJson<T>(path: string, options: CallOptions = {}): Promise<T> {
  return (await (await call('GET', path, options)).json()) as T;
}

export async function send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, options: { idempotencyKey?: string } = {}): Promise<T> {
  const res = await call(method, path, { body, ...options });
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}
