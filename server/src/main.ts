import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createDailies, startBackground } from './wiring.js';

/** config → wiring → app → listen. The only place that listens. */
export async function serve(config: Config): Promise<void> {
  const dailies = await createDailies(config, { processRole: 'serve' });
  const app = await buildApp(dailies, { logger: { level: config.logLevel } });
  const stopBackground = await startBackground(dailies, {
    log: (message, error) => app.log.error({ err: error }, message),
  });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await stopBackground();
    await dailies.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    { lake: dailies.lake.describe(), catalog: dailies.connection.dialect },
    `Dailies is listening on http://${config.host}:${config.port}`,
  );
}
