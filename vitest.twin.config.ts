import { defineConfig } from 'vitest/config';

/**
 * `npm run test:twin`: the e2e files that talk HTTP only, against the twin of the synthesized stack
 * (test/support/ledger-target.ts): the four users' journeys, the certifiers' refusals, the capitalisation timers.
 * The first run synthesises (~40-60 s on 2 cores); `npm test` runs the same files on the local runtime. The
 * other e2e files need the local runtime's internals (its store, restarts, crashes) and say so at their top.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/journeys.test.ts', 'test/e2e/certifiers.test.ts', 'test/e2e/capitalisation.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LEDGER_TARGET: 'twin' },
  },
});
