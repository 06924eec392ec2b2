import { createPino, pinoLogger } from './adapters/logging/pino-logger.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createDailies, startBackground } from './wiring.js';

/** config → wiring → app → listen. The only place that listens. */
export async function serve(config: Config): Promise<void> {
  // One log for the process: Fastify's request lines, the adapters', the job workers'.
  const log = createPino({ level: config.logLevel });
  const dailies = await createDailies(config, { processRole: 'serve', logger: pinoLogger(log) });
  const app = await buildApp(dailies, { loggerInstance: log });
  const stopBackground = await startBackground(dailies);
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
