import type * as z from '../../events/zod.js';
import type { Caller } from './auth.js';
import type { CommandContext } from './command-handler.js';
import type { LedgerDeps } from './deps.js';

export interface HttpRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string | undefined;
  /** Claims as the JWT authorizer hands them over; undefined without a (valid) token. */
  claims: Record<string, unknown> | undefined;
  sourceIp: string;
  requestId: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface RouteContext {
  caller: Caller | null;
  /** Ready for the command handler: id, actor, correlation and the ledger's time. */
  command: CommandContext;
  /** Ids for what this request creates, stable across retries with the same Idempotency-Key. */
  ids: { next(): string };
  request: HttpRequest;
}

export interface RouteDefinition<P = unknown, Q = unknown, B = unknown, R extends z.$ZodType = z.$ZodType> {
  summary: string;
  params?: z.$ZodType<P>;
  query?: z.$ZodType<Q>;
  body?: z.$ZodType<B>;
  /** The success answer, for the OpenAPI document. */
  response?: { status: number; schema?: R; contentType?: string };
  handle(input: { params: P; query: Q; body: B; ctx: RouteContext }, deps: LedgerDeps): Promise<HttpResponse>;
}

export const defineRoute = <P = Record<string, never>, Q = Record<string, never>, B = undefined, R extends z.$ZodType = z.$ZodType>(
  route: RouteDefinition<P, Q, B, R>,
): RouteDefinition<P, Q, B, R> => route;

/** The success answer of a route as its schema declares it: what the pages receive (web/src/lib/wire.ts). */
export type AnswerOf<T> = T extends { response?: { schema?: infer S } } ? (S extends z.$ZodType ? z.output<S> : never) : never;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

export const ok = (body: unknown) => json(200, body);
export const created = (body: unknown = {}) => json(201, body);
export const accepted = (body: unknown) => json(202, body);
export const noContent = (): HttpResponse => ({ status: 204, headers: {}, body: '' });
