import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPino, pinoLogger } from '../../src/adapters/logging/pino-logger.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import type { LogFields, Logger } from '../../src/ports/logger.js';
import { cutListenConnections } from '../support/cut-listeners.js';
import { startDailies, type TestDailies } from '../support/harness.js';

interface Line {
  level: string;
  message: string;
  fields: LogFields;
}

/** A Logger that keeps its lines, children's with their fields. */
function keptLog(lines: Line[], bound: LogFields = {}): Logger {
  const at =
    (level: string) =>
    (message: string, fields: LogFields = {}) =>
      void lines.push({ level, message, fields: { ...bound, ...fields } });
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: (fields) => keptLog(lines, { ...bound, ...fields }),
  };
}

let t: TestDailies | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('job log', () => {
  it("a job failing in serve's in-process workers is logged with its reason, attempt and duration", async () => {
    const lines: Line[] = [];
    t = await startDailies({ wiring: { logger: keptLog(lines) } });
    const id = await t.dailies.jobs.enqueue(
      'assets.move',
      { actorId: SYSTEM_ACTOR.id, assetIds: [], toFolderPath: '/No such folder' },
      { maxAttempts: 1 },
    );
    const failed = await vi.waitFor(
      () => {
        const line = lines.find((l) => l.message === 'job failed' && l.fields.job === id);
        if (!line) throw new Error('no line yet');
        return line;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(failed.level).toBe('error');
    expect(failed.fields).toMatchObject({
      component: 'jobs',
      name: 'assets.move',
      attempt: 1,
      maxAttempts: 1,
      again: false,
      reason: 'The folder /No such folder no longer exists.',
    });
    expect(failed.fields.durationMs).toBeGreaterThanOrEqual(0);
    expect(lines.find((l) => l.message === 'job started' && l.fields.job === id)?.level).toBe('debug');
  });

  it('a job that works is logged done with its duration', async () => {
    const lines: Line[] = [];
    t = await startDailies({ wiring: { logger: keptLog(lines) } });
    await t.api('POST', '/api/folders', { path: '/Day 01' });
    const id = await t.dailies.jobs.enqueue('assets.move', {
      actorId: SYSTEM_ACTOR.id,
      assetIds: [],
      toFolderPath: '/Day 01',
    });
    const done = await vi.waitFor(
      () => {
        const line = lines.find((l) => l.message === 'job done' && l.fields.job === id);
        if (!line) throw new Error('no line yet');
        return line;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(done).toMatchObject({ level: 'info', fields: { name: 'assets.move', attempt: 1 } });
    expect(lines.filter((l) => l.message === 'job failed')).toEqual([]);
  });
});

describe('adapter errors', () => {
  it("reach the process's logger: the PostgreSQL event bus losing its connection", async () => {
    const lines: Line[] = [];
    t = await startDailies({ catalog: 'postgres', wiring: { logger: keptLog(lines) } });
    // The bus's LISTEN connection, killed as a restarted or overloaded server would.
    expect(await cutListenConnections(t.config.databaseUrl!)).toBeGreaterThan(0);
    const line = await vi.waitFor(
      () => {
        const found = lines.find((l) => l.message === 'event bus failed');
        if (!found) throw new Error('no line yet');
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(line.level).toBe('error');
    expect(String((line.fields.err as Error).message)).toMatch(/terminat/i);
  });
});

describe('log lines', () => {
  const written = (human: boolean, write: (log: Logger) => void) => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    write(pinoLogger(createPino({ level: 'info', human, destination })));
    return chunks.join('');
  };

  it('are JSON for a collector, one short readable line each on a terminal', () => {
    const fail = (log: Logger) =>
      log.child({ component: 'jobs' }).warn('job failed', {
        name: 'asset.proxy',
        reason: 'ffmpeg stopped',
        err: new Error('ffmpeg stopped'),
      });
    const json = JSON.parse(written(false, fail));
    expect(json).toMatchObject({ level: 40, msg: 'job failed', component: 'jobs', reason: 'ffmpeg stopped' });
    expect(json.err).toMatchObject({ message: 'ffmpeg stopped', type: 'Error' });

    const human = written(true, fail);
    expect(human).toMatch(
      /^\d\d:\d\d:\d\d WARN {2}job failed component=jobs name=asset.proxy reason="ffmpeg stopped" err="ffmpeg stopped"\n {4}at /,
    );
    expect(human).not.toContain('"level"');
  });

  it('below the level are not written', () => {
    expect(written(false, (log) => log.debug('request completed'))).toBe('');
  });
});
