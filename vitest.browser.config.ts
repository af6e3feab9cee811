import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: the pages in Debian's chromium through playwright-core (test/browser/), against the local server. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 180_000,
    // A page waits on the read models and the workflows; on 2 shared cores that takes seconds, not one.
    expect: { poll: { timeout: 15_000, interval: 100 } },
    hookTimeout: 120_000,
    pool: 'forks',
    // One browser and one ledger at a time: 2 cores.
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
