import { defineConfig } from 'vitest/config';

/**
 * `npm run test:twin`: the journeys that talk HTTP only, against the twin of the synthesized stack
 * (test/support/ledger-target.ts). The first run synthesises (~40-60 s on 2 cores); `npm test` runs the same
 * journeys on the local runtime.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/journeys.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LEDGER_TARGET: 'twin' },
  },
});
