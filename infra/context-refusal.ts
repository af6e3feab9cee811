/**
 * A deployment the context does not allow (a production stage without its domain, a mistyped address): the operator's
 * mistake, not the code's. `cdk synth` prints its message as one sentence and exits 1, without a stack trace
 * (infra/app.ts); any other error keeps its trace, since it is a bug.
 */
export class ContextRefusal extends Error {
  override name = 'ContextRefusal';
}

/** Runs every check, then refuses once with all their reasons: an operator fixes the context in one pass. */
export function checkAll<T extends readonly (() => unknown)[]>(...checks: T): { [K in keyof T]: ReturnType<T[K]> } {
  const reasons: string[] = [];
  const results = checks.map((check) => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof ContextRefusal)) throw error;
      reasons.push(error.message);
      return undefined;
    }
  });
  if (reasons.length) throw new ContextRefusal(reasons.join('; '));
  return results as { [K in keyof T]: ReturnType<T[K]> };
}
