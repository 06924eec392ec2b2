import { defineConfig } from 'vitest/config';

/** Browser tests: Debian Chromium driven by playwright-core against a real server. One file at a time. */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: too short for a video to start or a job to land
    // on a shared two-core machine. A poll that should succeed still fails, only later.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
