import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { defaultMediaSettings } from '../../src/ports/media.js';
import { startDailies, type TestDailies } from '../support/harness.js';
import { mediaFixture } from '../support/media-fixtures.js';
import { untilSettled } from '../support/poll.js';

// Real: SQLite, fs stores, the local queue, the tools. A file no tool can read fails the same
// way every time: it fails once, with its reason. A time limit (a loaded machine) or a store
// that did not answer may pass on the next attempt: those are still tried again.
describe('how often a failing job is tried', { timeout: 180_000 }, () => {
  let t: TestDailies | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  async function settled(id: string) {
    await untilSettled(() => t!.dailies.catalog.assets.get(id));
    await t!.dailies.jobs.drain(60_000);
    return (await t!.dailies.catalog.assets.get(id))!;
  }

  async function probeJob(id: string) {
    return t!.dailies.connection.db
      .selectFrom('jobs')
      .selectAll()
      .where('key', '=', `${id}:asset.probe`)
      .executeTakeFirstOrThrow();
  }

  it('an unreadable file fails once, with its reason', async () => {
    t = await startDailies({ wiring: { jobBackoffMs: 50 } });
    const whole = await readFile(await mediaFixture('h264Mp4'));
    const asset = await t.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Bad',
      'cut short.mp4',
      Readable.from([whole.subarray(0, 40_000)]),
    );
    const failed = await settled(asset.id);
    expect(failed.state).toBe('failed');
    expect(failed.stateReason).toMatch(/^Probe: .*(truncated|moov atom not found)/);
    expect(failed.stateReason).not.toMatch(/attempt|trying again/);
    expect(await probeJob(asset.id)).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('a probe stopped by its time limit is tried again, up to its attempts', async () => {
    t = await startDailies({
      config: { media: { ...defaultMediaSettings, probeTimeoutMs: 1 } },
      wiring: { jobBackoffMs: 50 },
    });
    const asset = await t.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Slow',
      'A001.mp4',
      Readable.from([await readFile(await mediaFixture('h264Mp4'))]),
    );
    const failed = await settled(asset.id);
    expect(failed.state).toBe('failed');
    expect(failed.stateReason).toMatch(/^Probe: (ffprobe|mediainfo) timed out after 0\.001 s$/);
    expect(await probeJob(asset.id)).toMatchObject({ state: 'failed', attempts: 3, maxAttempts: 3 });
  });
});
