import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import type { Asset } from '../../src/ports/catalog.js';
import { defaultMediaSettings } from '../../src/ports/media.js';
import { startDailies, TEST_ADMIN_PASSWORD, type TestDailies } from '../support/harness.js';
import { untilSettled } from '../support/poll.js';

const run = promisify(execFile);

// Real: SQLite, an fs lake, the local queue with workers in this process, ffprobe, mediainfo and
// ffmpeg — in the bubblewrap sandbox, and without it (the input whitelists alone). Every hostile
// file is made here. The lake holds a hidden folder whose clip is solid red; every file below
// tries to make the tools read it (or another file), or to exhaust them. None may: each ends
// `failed` with a reason a person can read, or `ready` with derivatives of its own content
// (solid blue), and the server answers /healthz all along.
const RED = [255, 0, 0];
const BLUE = [0, 0, 255];

/** A PNG of the given size whose rows are all zero (black): tiny on disk, huge decoded. */
function bombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = 2; // RGB
  const rows = Buffer.alloc(Math.min(height, 64) * (1 + width * 3));
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The average colour of a picture (decoded by ffmpeg, outside Dailies). */
async function meanColour(picture: Buffer, dir: string): Promise<number[]> {
  const file = join(dir, `colour-${Math.random().toString(36).slice(2)}.jpg`);
  await writeFile(file, picture);
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-vf', 'scale=1:1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { encoding: 'buffer' },
  );
  return [...(stdout as Buffer).subarray(0, 3)];
}

function near(colour: number[], target: number[]): boolean {
  return colour.every((c, i) => Math.abs(c - target[i]) < 60);
}

describe.each(['auto', 'off'] as const)('hostile media (sandbox: %s)', { timeout: 300_000 }, (sandbox) => {
  let t: TestDailies;
  let lake = '';
  let cookie = '';
  const healthz: number[] = [];
  let watching = true;
  let watcher: Promise<void> = Promise.resolve();

  /** Writes a file straight into the lake, as any tool with access to the share could. */
  async function drop(folder: string, name: string, body: Buffer | string) {
    await mkdir(join(lake, folder), { recursive: true });
    await writeFile(join(lake, folder, name), body);
  }

  async function solidClip(path: string, colour: string) {
    await run('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=${colour}:size=160x120:rate=25:duration=2`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path],
    ]);
  }

  async function solidPng(path: string, colour: string) {
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=${colour}:size=64x48`,
      '-frames:v',
      '1',
      path,
    ]);
  }

  async function asset(folder: string, name: string): Promise<Asset> {
    const f = await t.dailies.catalog.folders.getByPath(folder);
    const found = f ? await t.dailies.catalog.assets.findLive(f.id, name) : null;
    if (!found) throw new Error(`${folder}/${name} was not indexed`);
    return found;
  }

  async function settled(folder: string, name: string): Promise<Asset> {
    await asset(folder, name); // indexed, or this fails now rather than after the wait
    return untilSettled(() => asset(folder, name), 200_000);
  }

  async function storedDerivatives(id: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const o of t.dailies.derived.listAll(`${id}/`)) keys.push(o.key);
    return keys;
  }

  async function attempts(id: string, job: string): Promise<number | undefined> {
    const row = await t.dailies.connection.db
      .selectFrom('jobs')
      .select('attempts')
      .where('key', '=', `${id}:${job}`)
      .executeTakeFirst();
    return row?.attempts;
  }

  async function thumbnailColour(id: string): Promise<number[]> {
    const response = await t.app.inject({ url: `/api/assets/${id}/thumbnail`, headers: { cookie } });
    expect(response.statusCode).toBe(200);
    return meanColour(response.rawPayload, t.dataDir);
  }

  beforeAll(async () => {
    t = await startDailies({
      config: {
        media: { ...defaultMediaSettings, toolSandbox: sandbox, toolMemoryMb: 512 },
        reconcileInterval: 0,
        watchLake: false,
      },
      wiring: { jobBackoffMs: 50 },
    });
    lake = join(t.dataDir, 'lake');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    cookie = `dailies_session=${login.cookies.find((c) => c.name === 'dailies_session')?.value}`;
    // The footage nobody but admins may see, and the clip every attack wants.
    await t.dailies.folders.create(SYSTEM_ACTOR, '/Secret');
    await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Secret', ['admin']);
    await solidClip(join(lake, 'Secret', 'plan.mov'), 'red');
    const secret = join(lake, 'Secret', 'plan.mov');

    // Lists of other files under media names.
    await drop('Day 01', 'steal.mov', `ffconcat version 1.0\nfile '${secret}'\nfile ../Secret/plan.mov\n`);
    const hls = (uri: string) =>
      `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n${uri}\n#EXT-X-ENDLIST\n`;
    await drop('Day 01', 'steal.m3u8', hls(`file://${secret}`));
    await drop('Day 01', 'relative.mov', hls('../Secret/plan.mov'));
    // An address that never answers: a tool that followed it would hang until its time limit.
    await drop('Day 01', 'hang.mov', hls('http://10.255.255.1:9/never.ts'));
    await drop('Day 01', 'piped.mov', `ffconcat version 1.0\nfile 'subfile:,,start,0,end,0,,:${secret}'\n`);

    // Names a tool could read as a pattern, a glob or a protocol; each file is blue, the red
    // files beside them are what such a reading would pick up.
    const blue = join(t.dataDir, 'blue.png');
    const red = join(t.dataDir, 'red.png');
    await solidPng(blue, 'blue');
    await solidPng(red, 'red');
    const [bluePng, redPng] = await Promise.all([readFile(blue), readFile(red)]);
    for (const name of ['shot1.png', 'shot2.png', '001.png', 'package.json.png'])
      await drop('Names', name, redPng);
    for (const name of ['shot%d.png', '%03d.png', 'shot*.png', 'shot?.png', 'shot[12].png'])
      await drop('Names', name, bluePng);
    // `tee:` would read package.json.png beside it; `data:` would decode the text after the
    // comma (not a picture at all) instead of the file.
    for (const name of [
      'concat:package.json.png',
      'subfile:,,start,0,end,0,,:package.json.png',
      'tee:package.json.png',
      'data:,package.json.png',
      'data:image;base64,iVBORw0KGgo.png',
    ])
      await drop('Names', name, bluePng);

    // Decompression bombs: a header that asks for 30000×30000 (2.7 GB decoded), and
    // 12000×12000 (432 MB), past this suite's 512 MiB tool limit once converted and scaled.
    await drop('Bombs', 'huge.png', bombPng(30000, 30000));
    await drop('Bombs', 'big.png', bombPng(12000, 12000));

    // The server keeps answering while the tools work: a sample every 200 ms (a deliberate
    // pace, not a wait for a state).
    watcher = (async () => {
      while (watching) {
        healthz.push((await t.app.inject({ url: '/healthz' })).statusCode);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await t.dailies.indexing.reconcile();
  });

  afterAll(async () => {
    watching = false;
    await watcher;
    await t?.close();
  });

  it.each([
    ['steal.mov', /ffconcat list/],
    ['steal.m3u8', /HLS playlist/],
    ['relative.mov', /HLS playlist/],
    ['hang.mov', /HLS playlist/],
    ['piped.mov', /ffconcat list/],
  ])('%s, a list of other files, fails once with the reason and reads nothing', async (name, reason) => {
    const row = await settled('/Day 01', name);
    expect(row.state).toBe('failed');
    expect(row.stateReason).toMatch(/^Probe: Not processed: this is /);
    expect(row.stateReason).toMatch(reason);
    expect(row.stateReason).not.toContain(lake);
    // Refused before any tool read it: not retried, no metadata, no derivative.
    expect(await attempts(row.id, 'asset.probe')).toBe(1);
    expect(await t.dailies.catalog.processing.getMetadata(row.id)).toBeNull();
    expect(await storedDerivatives(row.id)).toEqual([]);
  });

  it.each([
    'shot%d.png',
    '%03d.png',
    'shot*.png',
    'shot?.png',
    'shot[12].png',
    'concat:package.json.png',
    'subfile:,,start,0,end,0,,:package.json.png',
    'tee:package.json.png',
    'data:,package.json.png',
    'data:image;base64,iVBORw0KGgo.png',
  ])('%s is read as the one file it is', async (name) => {
    const row = await settled('/Names', name);
    expect(row).toMatchObject({ state: 'ready', kind: 'image', width: 64, height: 48 });
    const colour = await thumbnailColour(row.id);
    expect(near(colour, BLUE)).toBe(true);
    expect(near(colour, RED)).toBe(false);
    // What the API shows of the tools' output names the file by its lake key, nothing more.
    const raw = (await t.api('GET', `/api/assets/${row.id}/metadata?raw=true`)).body.raw;
    expect(raw.ffprobe.format.filename).toBe(`Names/${name}`);
    expect(raw.mediainfo.media['@ref']).toBe(`Names/${name}`);
    expect(JSON.stringify(raw)).not.toContain(t.dataDir);
  });

  it('a 30000×30000 PNG header fails once with the reason', async () => {
    const row = await settled('/Bombs', 'huge.png');
    expect(row.state).toBe('failed');
    expect(row.stateReason).toMatch(/cannot decode a 30000×30000 picture/);
    expect(await attempts(row.id, 'asset.thumbnail')).toBe(1);
    expect(await storedDerivatives(row.id)).toEqual([]);
  });

  it('a 12000×12000 PNG is stopped at the memory limit, once, with the reason', async () => {
    const row = await settled('/Bombs', 'big.png');
    expect(row.state).toBe('failed');
    expect(row.stateReason).toMatch(/needed more than its 512 MiB of memory and was stopped/);
    expect(await attempts(row.id, 'asset.thumbnail')).toBe(1);
    expect(await storedDerivatives(row.id)).toEqual([]);
  });

  it('metadata probed before, holding the lake path, is answered with the lake key', async () => {
    const row = await settled('/Secret', 'plan.mov');
    const stored = (await t.dailies.catalog.processing.getMetadata(row.id))!;
    const path = join(lake, 'Secret', 'plan.mov');
    await t.dailies.catalog.processing.saveMetadata({
      ...stored,
      raw: {
        ffprobe: { ...(stored.raw.ffprobe as object), format: { filename: path } },
        mediainfo: { media: { '@ref': path, track: [] } },
      },
    });
    const { body } = await t.api('GET', `/api/assets/${row.id}/metadata?raw=true`);
    expect(body.raw.ffprobe.format.filename).toBe('Secret/plan.mov');
    expect(body.raw.mediainfo.media['@ref']).toBe('Secret/plan.mov');
    expect(JSON.stringify(body)).not.toContain(t.dataDir);
  });

  it('the secret clip itself is processed normally, and the server answered all along', async () => {
    const row = await settled('/Secret', 'plan.mov');
    expect(row).toMatchObject({ state: 'ready', kind: 'video' });
    expect(near(await thumbnailColour(row.id), RED)).toBe(true);
    await t.dailies.jobs.drain(120_000);
    expect(healthz.length).toBeGreaterThan(0);
    expect(healthz.every((status) => status === 200)).toBe(true);
  });
});
