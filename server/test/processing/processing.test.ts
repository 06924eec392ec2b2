import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/features/access/actor.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { startDailies, TEST_ADMIN_PASSWORD, type TestDailies } from '../support/harness.js';
import { mediaFixture } from '../support/media-fixtures.js';
import { untilSettled } from '../support/poll.js';
import { openSse } from '../support/sse-client.js';

const run = promisify(execFile);

// Real: SQLite catalog, fs lake and derived store in a temp dir, the local queue with workers
// in this process, ffprobe/mediainfo/ffmpeg on media ffmpeg made.
const EDITOR: Actor = { id: 'u-editor', username: 'edith', groups: ['editors'], isAdmin: false };

// Generous time limits: ffmpeg shares two cores with whatever else runs.
describe('processing', { timeout: 180_000 }, () => {
  const started: TestDailies[] = [];
  afterEach(async () => {
    for (const t of started.splice(0)) await t.close();
  });

  const sessions = new Map<TestDailies, Record<string, string>>();
  async function dailies(): Promise<TestDailies> {
    const t = await startDailies({ wiring: { jobBackoffMs: 50 } });
    started.push(t);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    sessions.set(t, {
      cookie: `dailies_session=${login.cookies.find((c) => c.name === 'dailies_session')?.value}`,
    });
    return t;
  }

  /** A GET as the signed-in admin, with the raw bytes of the answer. */
  function get(t: TestDailies, url: string, headers: Record<string, string> = {}) {
    return t.app.inject({ url, headers: { ...sessions.get(t), ...headers } });
  }

  async function importPath(t: TestDailies, folder: string, name: string, file: string) {
    return t.dailies.imports.importStream(SYSTEM_ACTOR, folder, name, createReadStream(file));
  }

  /** Waits until the asset leaves pending/processing; fails if it never does. */
  async function settled(t: TestDailies, id: string, timeoutMs = 150_000) {
    const deadline = Date.now() + timeoutMs;
    await untilSettled(async () => (await t.api('GET', `/api/assets/${id}`)).body, deadline - Date.now());
    await t.dailies.jobs.drain(timeoutMs);
    return (await t.api('GET', `/api/assets/${id}`)).body;
  }

  async function ffprobe(file: string) {
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_streams',
      '-show_format',
      '-of',
      'json',
      file,
    ]);
    return JSON.parse(stdout);
  }

  it('makes an H.264 clip ready with metadata, thumbnail, proxy, filmstrip and waveform, all served', async () => {
    const t = await dailies();
    const base = (await t.app.listen({ host: '127.0.0.1', port: 0 })) as string;
    const sse = await openSse(`${base}/api/events`, sessions.get(t));
    const source = await mediaFixture('h264Mp4');
    const imported = await importPath(t, '/Day 01', 'A001.mp4', source);
    const asset = await settled(t, imported.id);
    sse.close();

    expect(asset).toMatchObject({
      state: 'ready',
      stateReason: null,
      currentJob: null,
      kind: 'video',
      format: 'MP4',
      width: 320,
      height: 240,
      frameRate: '25/1',
      videoCodec: 'h264',
      audioCodec: 'aac',
      audioTracks: 1,
      derivatives: {
        thumbnail: `/api/assets/${imported.id}/thumbnail`,
        proxy: `/api/assets/${imported.id}/proxy`,
        filmstrip: `/api/assets/${imported.id}/filmstrip.vtt`,
        waveform: `/api/assets/${imported.id}/waveform`,
        metadata: `/api/assets/${imported.id}/metadata`,
      },
    });
    expect(asset.duration).toBeCloseTo(3, 1);
    expect(asset.checksums.xxh64).toMatch(/^[0-9a-f]{16}$/);

    const metadata = await t.api('GET', `/api/assets/${imported.id}/metadata`);
    expect(metadata.status).toBe(200);
    expect(metadata.body.record).toMatchObject({
      kind: 'video',
      video: [{ codec: 'h264', frameRate: '25/1' }],
    });
    expect(metadata.body.raw).toBeUndefined();
    const raw = await t.api('GET', `/api/assets/${imported.id}/metadata?raw=true`);
    expect(raw.body.raw.ffprobe.streams.length).toBe(2);

    const thumbnail = await get(t, `/api/assets/${imported.id}/thumbnail`);
    expect(thumbnail.statusCode).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/jpeg');
    expect(thumbnail.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8');

    const proxy = await get(t, `/api/assets/${imported.id}/proxy`);
    expect(proxy.statusCode).toBe(200);
    expect(proxy.headers['content-type']).toBe('video/mp4');
    expect(proxy.headers['accept-ranges']).toBe('bytes');
    const proxyFile = join(t.dataDir, 'proxy-check.mp4');
    await writeFile(proxyFile, proxy.rawPayload);
    const probed = await ffprobe(proxyFile);
    const video = probed.streams.find((s: any) => s.codec_type === 'video');
    expect(video).toMatchObject({ codec_name: 'h264', r_frame_rate: '25/1', height: 240 });
    expect(Number(probed.format.duration)).toBeCloseTo(3, 1);
    // A <video> asks for ranges.
    const part = await get(t, `/api/assets/${imported.id}/proxy`, { range: 'bytes=100-199' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${proxy.rawPayload.length}`);
    expect(part.rawPayload.equals(proxy.rawPayload.subarray(100, 200))).toBe(true);
    const cached = await get(t, `/api/assets/${imported.id}/thumbnail`, {
      'if-none-match': String(thumbnail.headers.etag),
    });
    expect(cached.statusCode).toBe(304);

    const vtt = await get(t, `/api/assets/${imported.id}/filmstrip.vtt`);
    expect(vtt.statusCode).toBe(200);
    expect(vtt.body).toMatch(/^WEBVTT/);
    expect(vtt.body).toMatch(/filmstrip\.jpg#xywh=0,0,\d+,\d+/);
    expect((await get(t, `/api/assets/${imported.id}/filmstrip`)).body).toBe(vtt.body);
    const sprite = await get(t, `/api/assets/${imported.id}/filmstrip.jpg`);
    expect(sprite.headers['content-type']).toBe('image/jpeg');

    const waveform = await get(t, `/api/assets/${imported.id}/waveform`);
    expect(waveform.headers['content-type']).toBe('application/json');
    expect(JSON.parse(waveform.body)).toMatchObject({ version: 1, channels: 1 });
    expect(JSON.parse(waveform.body).peaks.length).toBeGreaterThan(10);

    // Live clients saw it arrive and change as it was processed.
    expect(sse.messages).toContainEqual({
      type: 'asset.created',
      assetId: imported.id,
      folderPath: '/Day 01',
    });
    expect(
      sse.messages.filter((m: any) => m.type === 'asset.changed' && m.assetId === imported.id).length,
    ).toBeGreaterThan(2);
    expect(sse.messages.some((m: any) => m.type === 'job.progress' && m.assetId === imported.id)).toBe(true);
  });

  it('processes a file another tool put in the lake, computing its checksums', async () => {
    const t = await dailies();
    const lakeDir = join(t.dataDir, 'lake', 'Card 02');
    await mkdir(lakeDir, { recursive: true });
    await copyFile(await mediaFixture('mp3'), join(lakeDir, 'room tone.mp3'));
    // The reconcile run at start-up may still be going (a second caller shares it): ask again.
    let page: any;
    for (let i = 0; i < 50 && !page?.items?.length; i++) {
      await t.api('POST', '/api/reconcile');
      page = (await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Card 02')}`)).body;
    }
    const asset = await settled(t, page.items[0].id);
    expect(asset).toMatchObject({ state: 'ready', kind: 'audio', audioTracks: 1, videoCodec: null });
    expect(asset.checksums.md5).toBe(
      (await run('md5sum', [join(lakeDir, 'room tone.mp3')])).stdout.split(' ')[0],
    );
    expect(asset.derivatives.proxy).not.toBeNull();
    expect(asset.derivatives.filmstrip).toBeNull();
    const proxy = await get(t, `/api/assets/${asset.id}/proxy`);
    expect(proxy.headers['content-type']).toBe('audio/mp4');
  });

  it('leaves a text file ready as `other`, with no proxy and no error', async () => {
    const t = await dailies();
    const imported = await t.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Docs',
      'call sheet.txt',
      Readable.from([Buffer.from('Call: 07:00, stage 4.\n')]),
    );
    const asset = await settled(t, imported.id);
    expect(asset).toMatchObject({ state: 'ready', kind: 'other', stateReason: null, format: 'TXT' });
    expect(asset.derivatives).toMatchObject({
      thumbnail: null,
      proxy: null,
      filmstrip: null,
      waveform: null,
    });
    const proxy = await t.api('GET', `/api/assets/${imported.id}/proxy`);
    expect(proxy.status).toBe(404);
    expect(proxy.body.error).toBe('not_found');
  });

  it('fails a truncated MP4 with the reason, never stuck, and retry runs it again', async () => {
    const t = await dailies();
    const whole = await readFile(await mediaFixture('h264Mp4'));
    const imported = await t.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Bad',
      'cut short.mp4',
      Readable.from([whole.subarray(0, 40_000)]),
    );
    const failed = await settled(t, imported.id);
    expect(failed.state).toBe('failed');
    expect(failed.currentJob).toBeNull();
    expect(failed.stateReason).toMatch(/^Probe: .*(truncated|moov atom not found)/);
    expect(failed.derivatives.proxy).toBeNull();

    // Someone copies the whole file over it (no watcher here), then asks for a retry.
    await writeFile(join(t.dataDir, 'lake', 'Bad', 'cut short.mp4'), whole);
    const retry = await t.api('POST', `/api/assets/${imported.id}/retry`);
    expect(retry.status).toBe(202);
    const job = await t.dailies.jobs.get(retry.body.jobId);
    expect(job?.name).toBe('asset.probe');
    const fixed = await settled(t, imported.id);
    expect(fixed).toMatchObject({ state: 'ready', kind: 'video', stateReason: null });
    const audit = await t.dailies.catalog.audit.list({ action: 'asset.retry', limit: 10 });
    expect(audit).toHaveLength(1);
  });

  it('fails random bytes named .mov with a readable reason', async () => {
    const t = await dailies();
    const imported = await t.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Bad',
      'noise.mov',
      Readable.from([randomBytes(64 * 1024)]),
    );
    const asset = await settled(t, imported.id);
    expect(asset.state).toBe('failed');
    expect(asset.stateReason).toMatch(/named \.mov but no video, audio or picture could be read/);
    expect(asset.kind).toBe('other');
  });

  it('serves derivatives only to those who may see the asset, and a move keeps them', async () => {
    const t = await dailies();
    await t.dailies.folders.create(SYSTEM_ACTOR, '/Secret');
    await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Secret', ['admin']);
    await t.dailies.folders.create(EDITOR, '/Shared');
    const imported = await importPath(t, '/Secret', 'still.png', await mediaFixture('png'));
    await settled(t, imported.id);
    const { processing } = t.dailies;
    await expect(processing.openDerivative(EDITOR, imported.id, 'thumbnail')).rejects.toMatchObject({
      status: 404,
    });
    await expect(processing.metadata(EDITOR, imported.id)).rejects.toMatchObject({ status: 404 });
    await expect(processing.retry(EDITOR, imported.id)).rejects.toMatchObject({ status: 404 });
    const before = await processing.openDerivative(SYSTEM_ACTOR, imported.id, 'proxy');
    before.stream.destroy();

    const { jobId } = await t.dailies.assets.requestMove(SYSTEM_ACTOR, [imported.id], '/Shared');
    await t.dailies.jobs.drain(20_000);
    expect((await t.dailies.jobs.get(jobId))?.state).toBe('done');
    const after = await processing.openDerivative(EDITOR, imported.id, 'proxy');
    after.stream.destroy();
    expect(after.etag).toBe(before.etag);
    expect((await t.api('GET', `/api/assets/${imported.id}`)).body.state).toBe('ready');
  });

  it('deletes the derivatives when an asset is deleted for good', async () => {
    const t = await dailies();
    const imported = await importPath(t, '/Day 02', 'B001.mp4', await mediaFixture('h264Mp4'));
    await settled(t, imported.id);
    const stored = async () => {
      const keys: string[] = [];
      for await (const o of t.dailies.derived.listAll(`${imported.id}/`)) keys.push(o.key);
      return keys.sort();
    };
    // Each under the generation of the run that made it, exactly the ones the catalog names.
    const keys = await stored();
    expect(keys.map((key) => key.replace(/\/[0-9a-z]+-[0-9a-f]{8}\//, '/<generation>/')).sort()).toEqual(
      ['filmstrip.jpg', 'filmstrip.vtt', 'proxy.mp4', 'thumbnail.jpg', 'waveform.json'].map(
        (n) => `${imported.id}/<generation>/${n}`,
      ),
    );
    const recorded = await t.dailies.catalog.processing.derivatives([imported.id]);
    expect(recorded.map((d) => d.key).sort()).toEqual(keys);
    await t.api('POST', '/api/assets/delete', { ids: [imported.id] });
    // In the trash it keeps them, so a restore needs no processing.
    expect(await stored()).toHaveLength(5);
    await t.api('DELETE', '/api/trash');
    expect(await stored()).toEqual([]);
    expect(await t.dailies.catalog.processing.derivatives([imported.id])).toEqual([]);
    expect(await t.dailies.catalog.processing.getMetadata(imported.id)).toBeNull();
  });

  it('drops the derivatives of a file that vanished from the lake', async () => {
    const t = await dailies();
    const imported = await importPath(t, '/Day 03', 'still.png', await mediaFixture('png'));
    await settled(t, imported.id);
    expect((await t.dailies.catalog.processing.derivatives([imported.id])).length).toBe(2);
    await rm(join(t.dataDir, 'lake', 'Day 03', 'still.png'));
    for (let i = 0; i < 50 && (await t.dailies.catalog.assets.get(imported.id)); i++) {
      await t.api('POST', '/api/reconcile');
    }
    expect(await t.dailies.catalog.processing.derivatives([imported.id])).toEqual([]);
    const left: string[] = [];
    for await (const o of t.dailies.derived.listAll(`${imported.id}/`)) left.push(o.key);
    expect(left).toEqual([]);
  });
});
