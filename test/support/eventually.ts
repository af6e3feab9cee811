/** Polls until `check` gives something (a workflow runs after the 202 that started it), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`${what}: not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
