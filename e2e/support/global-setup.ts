import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The tests drive the built app as the server serves it, so build it once first. */
export default async function setup(): Promise<void> {
  if (process.env.DAILIES_E2E_SKIP_BUILD === '1') return;
  // Vitest sets NODE_ENV=test, which would give React's development build: build what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
      mode: 'production',
      logLevel: 'warn',
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
