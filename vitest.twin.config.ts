import { defineConfig } from 'vitest/config';

/**
 * `npm run test:twin`: the e2e files that talk HTTP only, against the twin of the synthesized stack
 * (test/support/ledger-target.ts): the four users' journeys, an appeal, accounts, the certifiers' refusals, and the
 * holder's named PDF, the credentials as standard verifiers and an EU wallet take them (CORS preflights answered as the template configures
 * API Gateway).
 * The first run synthesises (~40-60 s on 2 cores); `npm test` runs the same files on the local runtime. The
 * other e2e files need the local runtime's internals (its store, restarts, crashes) and say so at their top.
 */
export default defineConfig({
  test: {
    include: [
      'test/e2e/journeys.test.ts',
      'test/e2e/certifiers.test.ts',
      'test/e2e/named-certificate.test.ts',
      'test/e2e/standard-verifiers.test.ts',
      'test/e2e/eu-wallet.test.ts',
    ],
    // One twin at a time: each is a dozen processes, and two at once on 2 cores take four times as long.
    fileParallelism: false,
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LEDGER_TARGET: 'twin' },
  },
});
