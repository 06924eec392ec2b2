import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { dailiesPerTest, type TestDailies } from '../support/harness.js';
import { untilSettled } from '../support/poll.js';
import { testS3Bucket } from '../support/services.js';
import { colourOf, ffprobeJson, frameColours, meanColour, near, writeFrame } from './sequence-support.js';

// Real: SQLite catalog, fs lake, the local queue with workers in this process, the settler on
// its timer, ffprobe/mediainfo/ffmpeg in their sandbox on frames ffmpeg wrote.
describe('image sequences: processing', { timeout: 240_000 }, () => {
  const start = dailiesPerTest();
  const dailies = () => start({ config: { sequenceQuietSeconds: 1 } });

  async function download(t: TestDailies, url: string): Promise<Buffer> {
    const reply = await t.bytes(url);
    expect(reply.status).toBe(200);
    return reply.body;
  }

  it('ten DPX frames with a gap are one asset: range, missing frame, middle-frame thumbnail, a playable 24 fps proxy, a filmstrip', async () => {
    const t = await dailies();
    const dir = join(t.dataDir, 'lake', 'Plates');
    const numbers = [1, 2, 3, 4, 6, 7, 8, 9, 10, 11];
    for (const n of numbers) await writeFrame(dir, `plate.${String(n).padStart(4, '0')}.dpx`, n);
    await writeFile(join(dir, 'notes.txt'), 'not a frame');

    await t.dailies.indexing.reconcile();
    const list = (await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Plates')}`)).body;
    expect(list.items.map((a: any) => a.name).sort()).toEqual(['notes.txt', 'plate.[0001-0011].dpx']);
    const id = list.items.find((a: any) => a.name.startsWith('plate')).id;

    const asset = await untilSettled(async () => (await t.api('GET', `/api/assets/${id}`)).body, 200_000);
    await t.dailies.jobs.drain(200_000);
    expect(asset.state).toBe('ready');
    const view = (await t.api('GET', `/api/assets/${id}`)).body;
    expect(view).toMatchObject({ kind: 'video', width: 64, height: 48, frameRate: '24/1' });
    expect(view.duration).toBeCloseTo(11 / 24, 5);

    const sequence = (await t.api('GET', `/api/assets/${id}/sequence`)).body;
    expect(sequence).toMatchObject({
      first: 1,
      last: 11,
      frameCount: 10,
      span: 11,
      missing: [[5, 5]],
      frameRate: '24/1',
      chosenFrameRate: null,
    });
    const metadata = (await t.api('GET', `/api/assets/${id}/metadata`)).body;
    expect(metadata.record.video[0]).toMatchObject({ width: 64, height: 48, frameCount: 11, bitDepth: 16 });
    expect(metadata.record.general.format).toBe('DPX sequence');

    // The thumbnail is the middle frame of those present (the 5th of 10: frame 6).
    const thumbnail = join(t.dataDir, 'thumb.jpg');
    await writeFile(
      thumbnail,
      await download(t, `/api/assets/${id}/thumbnail`).catch(async () => Buffer.alloc(0)),
    );
    expect(near(await meanColour(thumbnail), colourOf(6))).toBe(true);

    // The proxy plays 11 frames at 24 fps: frame 5 is missing, so frame 4 is held in its place.
    const proxy = join(t.dataDir, 'proxy.mp4');
    await writeFile(proxy, await download(t, `/api/assets/${id}/proxy`));
    const probed = await ffprobeJson(proxy);
    const stream = probed.streams.find((s: any) => s.codec_type === 'video');
    expect(stream).toMatchObject({ codec_name: 'h264', r_frame_rate: '24/1', nb_read_frames: '11' });
    expect(Number(probed.format.duration)).toBeCloseTo(11 / 24, 1);
    const shown = await frameColours(proxy);
    const expected = [1, 2, 3, 4, 4, 6, 7, 8, 9, 10, 11].map(colourOf);
    expect(shown).toHaveLength(11);
    for (const [i, colour] of shown.entries())
      expect(near(colour, expected[i], 20), `frame ${i}: ${colour}`).toBe(true);

    const vtt = (await download(t, `/api/assets/${id}/filmstrip.vtt`)).toString();
    expect(vtt).toContain('WEBVTT');
    expect((await download(t, `/api/assets/${id}/filmstrip.jpg`)).length).toBeGreaterThan(0);

    // The frames stay addressable: the selection download gives each frame, and one by number.
    const all = (await t.api('POST', '/api/assets/download', { ids: [id] })).body.items;
    expect(all.map((l: any) => l.name)).toEqual(
      numbers.map((n) => `plate.${String(n).padStart(4, '0')}.dpx`),
    );
    const one = await t.api('POST', `/api/assets/${id}/frames/download`, { frames: [6] });
    expect(one.status).toBe(200);
    expect(one.body.items).toHaveLength(1);
    const bytes = await t.app.inject({ url: one.body.items[0].url });
    expect(bytes.statusCode).toBe(200);
    expect(bytes.headers['content-disposition']).toContain('plate.0006.dpx');
    expect(bytes.rawPayload.equals(await readFile(join(dir, 'plate.0006.dpx')))).toBe(true);
    // A missing frame, or a frame of something that is no sequence, is a 404.
    expect((await t.api('POST', `/api/assets/${id}/frames/download`, { frames: [5] })).status).toBe(404);
    const notes = list.items.find((a: any) => a.name === 'notes.txt').id;
    expect((await t.api('POST', `/api/assets/${notes}/frames/download`, { frames: [1] })).status).toBe(404);
    expect((await t.api('GET', `/api/assets/${notes}/sequence`)).status).toBe(404);
  });

  it('frames arriving one at a time over several index passes end as one asset, processed once', async () => {
    const t = await start({ config: { sequenceQuietSeconds: 4 } });
    const probes = vi.spyOn(t.dailies.processing, 'runProbe');
    const derivatives = vi.spyOn(t.dailies.processing, 'runDerivative');
    const dir = join(t.dataDir, 'lake', 'Render');
    let id = '';
    for (let n = 1; n <= 6; n++) {
      const name = `comp_v001.${String(n).padStart(4, '0')}.png`;
      await writeFrame(dir, name, n);
      // Half the frames come by a re-index, half the way the watcher or an upload hands them over.
      if (n % 2 === 0) await t.dailies.indexing.reconcile();
      else {
        const object = await t.dailies.lake.head(`Render/${name}`);
        id = (await t.dailies.indexing.indexObject(object!)).id;
      }
    }
    const rows = (await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Render')}`)).body.items;
    expect(rows.map((r: any) => [r.id, r.name])).toEqual([[id, 'comp_v001.[0001-0006].png']]);
    const asset = await untilSettled(async () => (await t.api('GET', `/api/assets/${id}`)).body, 200_000);
    await t.dailies.jobs.drain(200_000);
    expect(asset).toMatchObject({ state: 'ready', kind: 'video', duration: 0.25 });
    const ran = (spy: typeof derivatives) =>
      spy.mock.calls.filter(([job]) => (job.data as any).assetId === id).map(([job]) => job.name);
    expect(ran(probes as any)).toEqual(['asset.probe']);
    // One proxy job makes the thumbnail, the proxy and the filmstrip, as for a clip.
    expect(ran(derivatives)).toEqual(['asset.proxy']);
    const links = (await t.api('GET', `/api/assets/${id}`)).body.derivatives;
    expect([links.thumbnail, links.proxy, links.filmstrip].map((l) => typeof l)).toEqual([
      'string',
      'string',
      'string',
    ]);
  });

  it('odd frames: another size is fitted, a broken one is held over, a chosen frame rate makes it again', async () => {
    const t = await dailies();
    const dir = join(t.dataDir, 'lake', 'Odd');
    for (const n of [1, 2, 3, 5, 6]) await writeFrame(dir, `odd.${n}.png`, n, n === 5 ? '128x96' : '64x48');
    await writeFile(
      join(dir, 'odd.4.png'),
      Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n'), Buffer.alloc(64, 7)]),
    );
    await t.dailies.indexing.reconcile();
    const [row] = (await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Odd')}`)).body.items;
    expect(row.name).toBe('odd.[1-6].png');
    const asset = await untilSettled(async () => (await t.api('GET', `/api/assets/${row.id}`)).body, 200_000);
    await t.dailies.jobs.drain(200_000);
    expect(asset).toMatchObject({ state: 'ready', width: 64, height: 48 });
    const proxy = join(t.dataDir, 'odd.mp4');
    await writeFile(proxy, await download(t, `/api/assets/${row.id}/proxy`));
    const shown = await frameColours(proxy);
    expect(shown).toHaveLength(6);
    // Frame 5 (twice the size) is fitted; the broken frame 4 shows frame 3 again.
    for (const [i, n] of [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 3],
      [4, 5],
      [5, 6],
    ] as const)
      expect(near(shown[i], colourOf(n), 20), `frame ${i}: ${shown[i]}`).toBe(true);

    for (const bad of ['0', 'abc', '1e3', '-24', '24/0', '100000', '24/1/1', ' '])
      expect((await t.api('PUT', `/api/assets/${row.id}/sequence`, { frameRate: bad })).status, bad).toBe(
        400,
      );
    const chosen = await t.api('PUT', `/api/assets/${row.id}/sequence`, { frameRate: '50/2' });
    expect(chosen.body).toMatchObject({ frameRate: '25/1', chosenFrameRate: '25/1' });
    await t.dailies.jobs.drain(200_000);
    const again = await untilSettled(async () => (await t.api('GET', `/api/assets/${row.id}`)).body, 200_000);
    expect(again).toMatchObject({ state: 'ready', frameRate: '25/1', duration: 6 / 25 });
    await writeFile(proxy, await download(t, `/api/assets/${row.id}/proxy`));
    const probed = await ffprobeJson(proxy);
    expect(probed.streams[0]).toMatchObject({ r_frame_rate: '25/1', nb_read_frames: '6' });
  });

  it('on an S3 lake and PostgreSQL: the frames are fetched for the tools and the proxy plays every frame', async () => {
    const lake = await testS3Bucket();
    const derived = await testS3Bucket();
    const { bucket: _l, ...connection } = lake;
    const t = await start({
      catalog: 'postgres',
      config: {
        lake: `s3://${lake.bucket}/lake`,
        derived: `s3://${derived.bucket}`,
        s3: connection,
        sequenceQuietSeconds: 1,
      },
    });
    const local = join(t.dataDir, 'frames');
    for (const n of [7, 8, 10]) {
      const name = `Plate_${String(n).padStart(4, '0')}.exr`;
      await writeFrame(local, name, n);
      await t.dailies.lake.write(`S3 Plates/${name}`, await readFile(join(local, name)));
    }
    await t.dailies.indexing.reconcile();
    const [row] = (await t.api('GET', `/api/assets?folder=${encodeURIComponent('/S3 Plates')}`)).body.items;
    expect(row.name).toBe('Plate_[0007-0010].exr');
    const asset = await untilSettled(async () => (await t.api('GET', `/api/assets/${row.id}`)).body, 200_000);
    await t.dailies.jobs.drain(200_000);
    expect(asset).toMatchObject({ state: 'ready', kind: 'video', width: 64, height: 48 });
    const thumbnail = join(t.dataDir, 'thumb.jpg');
    await writeFile(thumbnail, await download(t, `/api/assets/${row.id}/thumbnail`));
    expect(near(await meanColour(thumbnail), colourOf(8))).toBe(true);
    const proxy = join(t.dataDir, 'proxy.mp4');
    await writeFile(proxy, await download(t, `/api/assets/${row.id}/proxy`));
    const shown = await frameColours(proxy);
    expect(shown).toHaveLength(4);
    for (const [i, n] of [
      [0, 7],
      [1, 8],
      [2, 8],
      [3, 10],
    ] as const)
      expect(near(shown[i], colourOf(n), 20), `frame ${i}: ${shown[i]}`).toBe(true);
    // The frames' links are the bucket's own, one per frame.
    const links = (await t.api('POST', '/api/assets/download', { ids: [row.id] })).body.items;
    expect(links.map((l: any) => l.name)).toEqual(['Plate_0007.exr', 'Plate_0008.exr', 'Plate_0010.exr']);
    const fetched = await fetch(links[2].url);
    expect(fetched.status).toBe(200);
    expect(
      Buffer.from(await fetched.arrayBuffer()).equals(await readFile(join(local, 'Plate_0010.exr'))),
    ).toBe(true);
  });
});
