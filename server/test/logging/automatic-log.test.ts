import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { until } from '../support/poll.js';

const run = promisify(execFile);

// Real: media made by ffmpeg carrying a reel name, imported, probed by ffprobe and mediainfo
// through the real processing jobs, on both catalogs.
describe.each(CATALOGS)('logging fields the media fills (%s)', (catalog) => {
  let t: TestDailies;
  let dir: string;
  const media: Record<string, Buffer> = {};
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dailies-reel-'));
    const make = async (file: string, reel: string | null, args: string[]) => {
      const out = join(dir, file);
      await run('ffmpeg', [
        ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=d=1:s=160x120:r=25'],
        ...args,
        ...['-timecode', '01:00:00:00'],
        ...(reel ? ['-metadata', `reel_name=${reel}`, '-metadata:s:v:0', `reel_name=${reel}`] : []),
        out,
      ]);
      media[file] = await readFile(out);
    };
    await make('interview.mov', 'R1AB', ['-c:v', 'mpeg2video']);
    await make('tape.mxf', 'TAPE7', ['-c:v', 'mpeg2video']);
    await make('A002C014_220314_R1AB.mov', null, ['-c:v', 'mpeg2video']);
    await make('A002C015_220314_R1AB.mov', 'MAG 12', ['-c:v', 'mpeg2video']);
    t = await startDailies({ catalog });
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const probed = async (id: string) =>
    until(
      async () => {
        const { body } = await t.api('GET', `/api/assets/${id}`);
        return body.state === 'ready' || body.state === 'failed' ? body : null;
      },
      { timeout: 60_000, what: 'the asset to be processed' },
    );

  it('reel from QuickTime and MXF metadata, camera and reel from a camera file name', async () => {
    const mov = await importFile(t, '/Day 03', 'interview.mov', media['interview.mov']);
    const mxf = await importFile(t, '/Day 03', 'tape.mxf', media['tape.mxf']);
    const named = await importFile(
      t,
      '/Day 03',
      'A002C014_220314_R1AB.mov',
      media['A002C014_220314_R1AB.mov'],
    );
    const both = await importFile(
      t,
      '/Day 03',
      'A002C015_220314_R1AB.mov',
      media['A002C015_220314_R1AB.mov'],
    );
    expect((await probed(mov.id)).log).toMatchObject({ camera: null, reel: 'R1AB', automatic: ['reel'] });
    expect((await probed(mxf.id)).log).toMatchObject({ reel: 'TAPE7', automatic: ['reel'] });
    expect((await probed(named.id)).log).toMatchObject({
      camera: 'A',
      reel: 'A002',
      automatic: ['camera', 'reel'],
    });
    // The recorded reel wins over the name's.
    expect((await probed(both.id)).log).toMatchObject({ camera: 'A', reel: 'MAG 12' });
  });

  it('processing again never overwrites what a person typed', async () => {
    const asset = await importFile(t, '/Day 04', 'tape.mxf', media['tape.mxf']);
    await probed(asset.id);
    const typed = await t.api('PATCH', `/api/assets/${asset.id}/log`, { reel: 'Reel 1', camera: 'C' });
    expect(typed.status).toBe(200);
    const retry = await t.api('POST', `/api/assets/${asset.id}/retry`);
    expect(retry.status).toBe(202);
    await until(
      async () => {
        const jobs = await t.api('GET', `/api/jobs/${retry.body.jobId}`);
        return jobs.body?.state === 'done' ? jobs.body : null;
      },
      { timeout: 60_000, what: 'the probe to run again' },
    );
    const after = await probed(asset.id);
    expect(after.log).toMatchObject({ reel: 'REEL 1', camera: 'C', automatic: [] });
  });
});
