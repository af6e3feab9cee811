/** A client made on first use: `send` as the SDK's, and the client itself for what needs more (a pre-signer). */
export type LazyClient<C extends { send: (...args: never[]) => Promise<unknown> }> = Pick<C, 'send'> & { client(): Promise<C> };

/**
 * An AWS SDK client made on its first request: its package is imported then, not at cold start. esbuild keeps the
 * import of an external package dynamic, so a Lambda that never signs, stores a document, starts a workflow,
 * schedules, emails or touches an account never loads those packages (each costs tens of milliseconds to load).
 * A failed import or construction is not kept: the next request tries again.
 */
export function lazyClient<C extends { send: (...args: never[]) => Promise<unknown> }>(make: () => Promise<C>): LazyClient<C> {
  let client: Promise<C> | undefined;
  const made = () =>
    (client ??= make().catch((error: unknown) => {
      client = undefined;
      throw error;
    }));
  const send = ((...args: Parameters<C['send']>) => made().then((c) => c.send(...args))) as C['send'];
  return { send, client: made } as Pick<C, 'send'> & { client(): Promise<C> };
}
