import * as z from '../../events/zod.js';
import type { ProblemCode } from '../../domain/problem-codes.js';

/** The caller spent its budget of public requests: 429 with Retry-After, mapped by dispatch. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests from this address; retry in ${retryAfterSeconds} s`);
  }
}

export const PROBLEM_BASE = '/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().check(z.int()),
  detail: z.string(),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export const problem = (status: number, code: ProblemCode, detail: string, errors?: Problem['errors']): Problem => ({
  type: `${PROBLEM_BASE}${code}`,
  title: titles[status] ?? 'Error',
  status,
  detail,
  ...(errors ? { errors } : {}),
});

export const zodProblem = (error: z.$ZodError, where: 'body' | 'path' | 'query'): Problem =>
  problem(
    400,
    'invalid-request',
    `the request ${where} does not match the contract`,
    error.issues.map((issue) => ({
      path: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
