import { defineConfig } from 'vitest/config';

/**
 * The unit tier (`npm run test:unit`): pure code only — no database, no S3, no server, no
 * media tools, no global setup — so it runs in seconds. The full suite runs these files too.
 */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: [
      'server/test/unit/**/*.test.ts',
      'web/test/**/*.test.ts',
      // Pure tests that live beside the feature they cover.
      'server/test/auth/return-to.test.ts',
      'server/test/media/normalise.test.ts',
      'server/test/web/api-path.test.ts',
    ],
    testTimeout: 10_000,
  },
});
