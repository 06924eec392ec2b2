import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegTranscoder } from '../../src/adapters/media/ffmpeg-transcoder.js';
import { ToolsMediaProbe } from '../../src/adapters/media/media-probe.js';
import { lowres } from '../../src/adapters/media/still-decode.js';
import { defaultMediaSettings } from '../../src/ports/media.js';
import { type ShootFixture, shootFixture } from '../support/shoot-fixtures.js';

const run = promisify(execFile);

// Real: 12000×12000 stills ffmpeg made, ffmpeg in its sandbox under an address-space limit far
// below what a threaded decode of them maps, and a stall timer far shorter than one decode.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dailies-huge-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const LIMITED = {
  ...defaultMediaSettings,
  // A 12000×12000 RGB frame is 432 MB; threaded, the PNG thumbnail needed more than 768 MiB
  // on two cores (a frame per thread: more on more cores). One thread: 768 (thumbnail) and
  // 832 MiB (proxy), measured by bench/huge-stills.ts; the limit leaves some room.
  toolMemoryMb: 896,
  // One decode takes seconds and prints no progress: the stall timer must see it is busy.
  stallTimeoutMs: 1000,
};

async function size(file: string) {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=width,height',
    '-of',
    'csv=p=0',
    file,
  ]);
  return stdout.trim();
}

describe('huge stills under a memory limit', { timeout: 180_000 }, () => {
  it.each<[ShootFixture]>([['hugePng'], ['hugeJpeg']])(
    '%s gets its thumbnail and proxy within 896 MiB',
    async (name) => {
      const file = await shootFixture(name);
      const source = await new ToolsMediaProbe({ ...LIMITED, probeTimeoutMs: 60_000 }).probe(file);
      expect(source).toMatchObject({ kind: 'image', image: { width: 12000, height: 12000 } });
      const transcoder = new FfmpegTranscoder(LIMITED);
      const thumbnail = await transcoder.thumbnail(file, join(dir, `${name}-thumb.jpg`), { source });
      expect(await size(thumbnail.file)).toBe(
        `${defaultMediaSettings.thumbnailWidth},${defaultMediaSettings.thumbnailWidth}`,
      );
      const proxy = await transcoder.proxy(file, join(dir, `${name}-proxy.jpg`), { source });
      expect(await size(proxy.file)).toBe(
        `${defaultMediaSettings.imageProxyMaxSize},${defaultMediaSettings.imageProxyMaxSize}`,
      );
    },
  );

  it('the same limit is real: a decode that needs more is stopped with that reason', async () => {
    const file = await shootFixture('hugePng');
    const source = await new ToolsMediaProbe({ ...LIMITED, probeTimeoutMs: 60_000 }).probe(file);
    const error = await new FfmpegTranscoder({ ...LIMITED, toolMemoryMb: 300 })
      .thumbnail(file, join(dir, 'starved.jpg'), { source })
      .catch((e: Error) => e);
    expect((error as Error).message).toBe('ffmpeg needed more than its 300 MiB of memory and was stopped');
  });

  it('reduces a JPEG by the largest power of two that keeps what is made from it sharp', () => {
    expect(lowres(12000, 640)).toEqual(['-lowres', '3']);
    expect(lowres(12000, 2048)).toEqual(['-lowres', '2']);
    expect(lowres(4000, 2048)).toEqual([]);
    expect(lowres(4096, 2048)).toEqual(['-lowres', '1']);
    expect(lowres(640, 640)).toEqual([]);
    for (const odd of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(lowres(odd, 640)).toEqual([]);
    expect(lowres(12000, 0)).toEqual([]);
  });
});
