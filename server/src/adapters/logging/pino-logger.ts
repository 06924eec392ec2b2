import { type DestinationStream, type Logger as Pino, pino } from 'pino';
import type { LogFields, Logger } from '../../ports/logger.js';
import { humanLines } from './human-lines.js';

export interface LogOptions {
  level: string;
  /** Short readable lines instead of JSON; default: when standard output is a terminal. */
  human?: boolean;
  /** Where lines go; default: standard output. */
  destination?: DestinationStream;
}

/**
 * The process's log: pino (Fastify logs through it too), JSON lines for a log collector, short
 * readable lines on a terminal.
 */
export function createPino(options: LogOptions): Pino {
  const human = options.human ?? Boolean(process.stdout.isTTY);
  const destination = options.destination ?? process.stdout;
  return pino({ level: options.level }, human ? humanLines(destination) : destination);
}

/** The Logger port over a pino logger. */
export function pinoLogger(log: Pino): Logger {
  const line = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string, fields?: LogFields) =>
    fields ? log[level](fields, message) : log[level](message);
  return {
    error: line('error'),
    warn: line('warn'),
    info: line('info'),
    debug: line('debug'),
    child: (fields) => pinoLogger(log.child(fields)),
  };
}
