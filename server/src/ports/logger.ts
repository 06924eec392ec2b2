/** What a log line carries besides its message: ids, names, numbers, and `err` for an error. */
export type LogFields = Record<string, unknown>;

/**
 * Where adapters and services say what happened that nobody asked them for: a lost connection,
 * a sweep that failed, a job's start and end. The message says what happened in words; the
 * fields carry what to search by. Never a secret in either.
 */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** A logger whose every line carries these fields too (`{ component: 'jobs' }`). */
  child(fields: LogFields): Logger;
}

/** Logs nothing: for tests and tools that have no log. */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silentLogger,
};

/**
 * The `(message, error)` callback several services and sweeps take for failures they cannot
 * throw, as error lines of a logger.
 */
export function reportTo(logger: Logger): (message: string, error?: unknown) => void {
  return (message, error) => logger.error(message, error === undefined ? undefined : { err: error });
}
