/**
 * The media sandbox and the CPU limit, proven rather than trusted (issue 11, gaps 2).
 *
 * - A tool run through `runTool` in the bubblewrap sandbox cannot open any file but its input:
 *   the same command line outside the sandbox reads the other file, so the sandbox is what
 *   stops it.
 * - In `auto` mode on this machine (bubblewrap installed) the processing pipeline really runs
 *   each tool in it: every ffprobe/mediainfo/ffmpeg it spawns goes through `bwrap`.
 * - An ffmpeg run past `DAILIES_TOOL_CPU_SECONDS` ends the asset `failed`, once, with a reason
 *   naming the CPU limit.
 *
 * Real: ffmpeg, ffprobe, mediainfo, bubblewrap and prlimit; the whole app on SQLite and an fs
 * lake. `spawn` is wrapped only to record each command line.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runTool } from '../../src/adapters/media/run-tool.js';
import { sandboxSupport, toolIo } from '../../src/adapters/media/tool-sandbox.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { defaultMediaSettings } from '../../src/ports/media.js';
import { startDailies, type TestDailies } from '../support/harness.js';
import { untilSettled } from '../support/poll.js';

const spawned = vi.hoisted(() => [] as string[][]);
vi.mock('node:child_process', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:child_process')>();
  return {
    ...real,
    spawn: ((command: string, args: readonly string[], options: object) => {
      spawned.push([command, ...(args ?? [])]);
      return real.spawn(command, args, options);
    }) as typeof real.spawn,
  };
});

const run = promisify(execFile);
const TOOLS = ['ffmpeg', 'ffprobe', 'mediainfo'];

async function clip(path: string, size: string, seconds: number) {
  await run('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path],
  ]);
}

describe('a sandboxed media tool sees only its file', () => {
  let dir = '';
  let input = '';
  let secret = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dailies-sandbox-'));
    input = join(dir, 'clip.mov');
    secret = join(dir, 'catalog.sqlite');
    await clip(input, '160x120', 1);
    await writeFile(secret, 'the catalog the tool must never read');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('bubblewrap works on this machine (the tests below need it)', () => {
    expect(sandboxSupport()).toMatchObject({ ok: true });
  });

  /** ffmpeg given its input, then told to copy another file's bytes to stdout. */
  const readOther = (sandboxed: boolean, other: string) => {
    const io = toolIo({ input }, sandboxed);
    const args = ['-nostdin', '-v', 'error', '-i', io.input];
    args.push('-f', 'data', '-i', other, '-map', '1', '-c', 'copy', '-f', 'data', 'pipe:1');
    return runTool('ffmpeg', args, { timeoutMs: 60_000, io });
  };

  it.each([
    ['a file in the data dir', () => secret, 'the catalog the tool must never read'],
    ['/etc/passwd', () => '/etc/passwd', 'root:'],
  ])('ffmpeg cannot open %s in the sandbox; outside it, it can', async (_, other, content) => {
    const outside = await readOther(false, other());
    expect(outside.stdout).toContain(content);
    const inside = readOther(true, other());
    await expect(inside).rejects.toThrow(/No such file or directory/);
    await expect(inside).rejects.not.toThrow(new RegExp(content));
  });

  it('mediainfo reports only its input in the sandbox; outside it, the other file too', async () => {
    const other = join(dir, 'other.mov');
    await clip(other, '64x48', 1);
    const mediainfo = (sandboxed: boolean) => {
      const io = toolIo({ input }, sandboxed);
      return runTool('mediainfo', ['--Output=JSON', io.input, other], { timeoutMs: 60_000, io });
    };
    // Each file mediainfo could open is an entry with tracks; one it could not is an empty one.
    const opened = (stdout: string) =>
      (JSON.parse(stdout) as Array<{ media: { '@ref': string; track?: unknown[] } | null }>)
        .filter((entry) => (entry.media?.track?.length ?? 0) > 0)
        .map((entry) => entry.media!['@ref']);
    expect(opened((await mediainfo(false)).stdout)).toEqual([input, other]);
    const inside = (await mediainfo(true)).stdout;
    expect(opened(inside)).toEqual(['/media/input.mov']);
    expect(inside).not.toContain('other.mov');
  });
});

describe('the processing pipeline', { timeout: 240_000 }, () => {
  let t: TestDailies;
  afterAll(() => t?.close());

  function settle(folder: string, name: string) {
    return untilSettled(async () => {
      const f = await t.dailies.catalog.folders.getByPath(folder);
      return f ? t.dailies.catalog.assets.findLive(f.id, name) : null;
    }, 180_000);
  }

  it('runs every ffprobe, mediainfo and ffmpeg in bubblewrap in auto mode', async () => {
    t = await startDailies({ config: { media: { ...defaultMediaSettings, toolSandbox: 'auto' } } });
    await t.dailies.folders.create(SYSTEM_ACTOR, '/Day');
    await clip(join(t.dataDir, 'lake', 'Day', 'A.mov'), '160x120', 2);
    spawned.length = 0;
    await t.dailies.indexing.reconcile();
    const row = await settle('/Day', 'A.mov');
    expect(row.state).toBe('ready');
    await t.dailies.jobs.drain(120_000);
    const toolRuns = spawned.filter((argv) => argv.some((a) => TOOLS.includes(a)));
    const ran = new Set(toolRuns.map((argv) => argv.find((a) => TOOLS.includes(a))));
    expect([...ran].sort()).toEqual(TOOLS);
    for (const argv of toolRuns) {
      expect(argv, argv.join(' ')).toContain('bwrap');
      // The tool is named after bwrap's options, and the lake path is never on its command line.
      expect(argv.indexOf('bwrap')).toBeLessThan(argv.findIndex((a) => TOOLS.includes(a)));
      const afterDashes = argv.slice(argv.lastIndexOf('--'));
      expect(afterDashes.join(' ')).not.toContain(t.dataDir);
    }
    await t.close();
  });

  it('stops an ffmpeg run past its CPU seconds: the asset fails once, saying so', async () => {
    t = await startDailies({
      config: {
        media: { ...defaultMediaSettings, toolCpuSeconds: 1, proxyPreset: 'veryslow' },
      },
      wiring: { jobBackoffMs: 50 },
    });
    await t.dailies.folders.create(SYSTEM_ACTOR, '/Day');
    // A 720p encode at x264's slowest preset needs far more than one CPU second.
    await clip(join(t.dataDir, 'lake', 'Day', 'Long.mov'), '1280x720', 6);
    await t.dailies.indexing.reconcile();
    const row = await settle('/Day', 'Long.mov');
    await t.dailies.jobs.drain(120_000);
    const final = await settle('/Day', 'Long.mov');
    expect(final.state).toBe('failed');
    expect(final.stateReason).toMatch(/ffmpeg used more than its 1 s of CPU time and was stopped/);
    const jobs = await t.dailies.connection.db
      .selectFrom('jobs')
      .select(['key', 'attempts', 'state'])
      .where('key', 'like', `${row.id}:%`)
      .execute();
    const failed = jobs.filter((j) => j.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    // The limit comes back with the same file: never tried again.
    for (const job of failed) expect(job.attempts, job.key ?? undefined).toBe(1);
  });
});
