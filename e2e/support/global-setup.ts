import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The tests drive the built app as the server serves it, so build it once first. */
export default async function setup(): Promise<void> {
  if (process.env.DAILIES_E2E_SKIP_BUILD === '1') return;
  await build({
    configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  });
}
