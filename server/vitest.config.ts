import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['server/test/**/*.test.ts', 'web/test/**/*.test.ts'],
    globalSetup: ['server/test/support/global-setup.ts'],
    // Shared CI machines: process-spawning tests (CLI, kill tests) need room.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: too short for a video to start or a job to land
    // on a shared two-core machine. A poll that should succeed still fails, only later.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
