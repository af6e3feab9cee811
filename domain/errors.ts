import type { ProblemCode } from './problem-codes.js';

/**
 * A rule of the domain refused a command. `code` is stable: it becomes the problem type
 * (`https://certification-ledger.fr/problems/<code>`) that clients branch on, so never rename one.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly kind: 'rule' | 'not-found' | 'conflict' | 'forbidden' = 'rule',
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const refuse = (code: ProblemCode, message: string) => new DomainError(code, message, 'rule');
export const notFound = (code: ProblemCode, message: string) => new DomainError(code, message, 'not-found');
export const conflict = (code: ProblemCode, message: string) => new DomainError(code, message, 'conflict');
/** The caller may not act on this resource (another centre's session, a session whose jury they are not in). */
export const forbidden = (code: ProblemCode, message: string) => new DomainError(code, message, 'forbidden');
