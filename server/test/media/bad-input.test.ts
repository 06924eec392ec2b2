import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { copyFile, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegTranscoder } from '../../src/adapters/media/ffmpeg-transcoder.js';
import { ToolsMediaProbe } from '../../src/adapters/media/media-probe.js';
import { runTool } from '../../src/adapters/media/run-tool.js';
import { defaultMediaSettings, MediaError, type TechnicalMetadata } from '../../src/ports/media.js';
import { mediaFixture } from '../support/media-fixtures.js';

// Real: the tools, on broken and hostile input made here. Each case must end with a readable
// reason or as `other`, quickly, and leave no derivative (or temp file) behind.
const probe = new ToolsMediaProbe();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dailies-bad-input-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, body: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, body);
  return path;
}

const readable = (error: unknown) => {
  expect(error).toBeInstanceOf(MediaError);
  const message = (error as Error).message;
  expect(message.length).toBeGreaterThan(10);
  expect(message).not.toContain(dir);
  return message;
};

describe('probing bad input', () => {
  it('a zero-byte file is `other`', async () => {
    const record = await probe.probe(await write('empty.mp4', ''));
    expect(record).toMatchObject({ kind: 'other', video: [], audio: [], image: null });
    expect(record.general.sizeBytes).toBe(0);
  });

  it('a truncated MP4 fails with the reason', async () => {
    const whole = await mediaFixture('h264Mp4');
    const path = join(dir, 'truncated.mp4');
    const handle = await open(whole, 'r');
    const head = Buffer.alloc(40_000);
    await handle.read(head, 0, head.length, 0);
    await handle.close();
    await writeFile(path, head);
    const error = await probe.probe(path).catch((e: unknown) => e);
    expect(readable(error)).toMatch(/MPEG-4.*truncated.*moov atom not found/);
  });

  it('random bytes named .mov are `other`', async () => {
    const record = await probe.probe(await write('noise.mov', randomBytes(64 * 1024)));
    expect(record.kind).toBe('other');
  });

  it('a JPEG named .mxf is an image', async () => {
    const path = join(dir, 'photo.mxf');
    await copyFile(await mediaFixture('jpeg'), path);
    const record = await probe.probe(path);
    expect(record.kind).toBe('image');
    expect(record.image).toMatchObject({ format: 'JPEG', width: 320, height: 240 });
  });

  it('a text file named .mp4 is `other`', async () => {
    const record = await probe.probe(
      await write('notes.mp4', 'Call sheet for day 3: 07:00 at the studio.\n'),
    );
    expect(record.kind).toBe('other');
  });

  it('a FIFO is refused at once instead of blocking the tools', async () => {
    const fifo = join(dir, 'probe.fifo');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const error = await probe.probe(fifo).catch((e: unknown) => e);
    expect(readable(error)).toMatch(/not a regular file/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a missing file says so', async () => {
    await expect(probe.probe(join(dir, 'gone.mov'))).rejects.toThrow('The file does not exist.');
  });

  it('the probe time limit kills the tools', async () => {
    const impatient = new ToolsMediaProbe({ probeTimeoutMs: 1, niceness: 10 });
    const error = await impatient.probe(await mediaFixture('dnxhdMxf')).catch((e: unknown) => e);
    expect(readable(error)).toMatch(/timed out after 0\.001 s/);
  });
});

describe('transcoding that never ends, fails or is cancelled', () => {
  const fakeVideo = (durationSeconds: number): TechnicalMetadata => ({
    kind: 'video',
    general: {
      format: null,
      formatProfile: null,
      durationSeconds,
      sizeBytes: 0,
      overallBitrate: null,
      startTimecode: null,
    },
    video: [],
    audio: [],
    image: null,
    raw: { ffprobe: null, mediainfo: null },
  });

  it('a decode that never ends (a FIFO nobody writes to) is killed as stalled', async () => {
    const fifo = join(dir, 'endless.fifo');
    execFileSync('mkfifo', [fifo]);
    // Held open for writing, so ffmpeg waits for data instead of seeing end of file.
    const writer = openSync(fifo, 'r+');
    try {
      const transcoder = new FfmpegTranscoder({ ...defaultMediaSettings, stallTimeoutMs: 1500 });
      const output = join(dir, 'endless.mp4');
      const started = Date.now();
      const error = await transcoder.proxy(fifo, output, { source: fakeVideo(60) }).catch((e: unknown) => e);
      expect(readable(error)).toMatch(/ffmpeg stalled: no progress for 1\.5 s/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await readdir(dir)).filter((name) => name.includes('endless.'))).toEqual(['endless.fifo']);
    } finally {
      closeSync(writer);
    }
  });

  it('the hard time limit kills a long transcode and leaves nothing behind', async () => {
    const file = await mediaFixture('dnxhdMxf');
    const source = await probe.probe(file);
    const transcoder = new FfmpegTranscoder({ ...defaultMediaSettings, toolTimeoutMs: 200 });
    const output = join(dir, 'slow', 'proxy.mp4');
    const error = await transcoder.proxy(file, output, { source }).catch((e: unknown) => e);
    expect(readable(error)).toBe('ffmpeg timed out after 0.2 s');
    expect(await readdir(join(dir, 'slow'))).toEqual([]);
  });

  it('an abort stops ffmpeg and leaves nothing behind', async () => {
    const file = await mediaFixture('dnxhdMxf');
    const source = await probe.probe(file);
    const output = join(dir, 'aborted', 'proxy.mp4');
    const error = await new FfmpegTranscoder()
      .proxy(file, output, { source, signal: AbortSignal.timeout(150) })
      .catch((e: unknown) => e);
    expect(readable(error)).toBe('ffmpeg was cancelled');
    expect((error as MediaError).details.aborted).toBe(true);
    expect(await readdir(join(dir, 'aborted'))).toEqual([]);
  });

  it("ffmpeg's own failure reason reaches the caller", async () => {
    const path = await write('garbage.mov', randomBytes(4096));
    const output = join(dir, 'garbage', 'proxy.mp4');
    const error = await new FfmpegTranscoder()
      .proxy(path, output, { source: fakeVideo(1) })
      .catch((e: unknown) => e);
    expect(readable(error)).toMatch(/^ffmpeg failed \(exit 1\): .*(Invalid data|moov atom)/);
    expect((error as Error).message).toContain('garbage.mov');
    expect(await readdir(join(dir, 'garbage'))).toEqual([]);
  });

  it('files that are not media get no derivatives, with a reason', async () => {
    const path = await write('readme.mp4', 'not media');
    const source = await probe.probe(path);
    const transcoder = new FfmpegTranscoder();
    await expect(transcoder.proxy(path, join(dir, 'x.mp4'), { source })).rejects.toThrow(/has no proxy/);
    await expect(transcoder.thumbnail(path, join(dir, 'x.jpg'), { source })).rejects.toThrow(
      /no picture or sound/,
    );
    await expect(transcoder.waveform(path, join(dir, 'x.json'), { source })).rejects.toThrow(/no audio/);
  });
});

describe('runTool', () => {
  it('kills an endless decode at the time limit with SIGKILL and says so', async () => {
    const started = Date.now();
    const error = await runTool(
      'ffmpeg',
      ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc', '-f', 'null', '-'],
      {
        timeoutMs: 1000,
        niceness: 10,
      },
    ).catch((e: unknown) => e);
    expect(readable(error)).toBe('ffmpeg timed out after 1 s');
    expect((error as MediaError).details).toMatchObject({ timedOut: true, exitCode: null });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    ['exits with an error', 'echo "Invalid data found when processing input" >&2; exit 1', true],
    ['crashes on the file', 'kill -SEGV $$', true],
    ['is killed from outside (the OOM killer)', 'kill -KILL $$', false],
    ['finds the disk full', 'echo "No space left on device" >&2; exit 1', false],
  ])(
    'a tool that %s fails for good only when the same file would fail again',
    async (_what, script, again) => {
      const error = await runTool('sh', ['-c', script], { timeoutMs: 10_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaError);
      expect((error as MediaError).details.deterministic).toBe(again);
    },
  );

  it('reports a missing tool plainly', async () => {
    const error = await runTool('no-such-media-tool', [], { timeoutMs: 5000, niceness: 10 }).catch(
      (e: unknown) => e,
    );
    expect(readable(error)).toBe('no-such-media-tool is not installed (not found on the PATH)');
  });

  it('parses -progress blocks', async () => {
    const blocks: Record<string, string>[] = [];
    await runTool(
      'ffmpeg',
      [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc=duration=1:rate=25',
        '-progress',
        'pipe:1',
        '-f',
        'null',
        '-',
      ],
      { timeoutMs: 20_000, onProgress: (fields) => blocks.push(fields) },
    );
    expect(blocks.at(-1)).toMatchObject({ progress: 'end', frame: '25' });
    expect(Number(blocks.at(-1)!.out_time_us)).toBe(1_000_000);
  });
});
