import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../src/adapters/media/run-tool.js';
import { parseStat, treeCpuSeconds } from '../../src/adapters/media/tool-cpu.js';
import { sandboxWanted, toolIo } from '../../src/adapters/media/tool-sandbox.js';
import { MediaError } from '../../src/ports/media.js';

// Real: the tools run as Dailies runs them (niced, limited, in their own process group, and in
// the bubblewrap sandbox where it works); their CPU time is read from /proc.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dailies-busy-'));
  await writeFile(join(dir, 'input.bin'), 'x');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** ffmpeg decoding and encoding for about `seconds` of CPU with nothing on stdout (no -progress). */
const silentBusyFfmpeg = (seconds: number) => [
  ...[
    '-nostdin',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1920x1080:rate=25:duration=${seconds * 25}`,
  ],
  ...['-t', String(seconds * 25), '-c:v', 'mjpeg', '-f', 'null', '-'],
];

describe('the stall timer and busy tools', { timeout: 60_000 }, () => {
  it('lets a tool that prints nothing but uses CPU finish (many stall periods long)', async () => {
    const started = Date.now();
    await runTool('ffmpeg', silentBusyFfmpeg(0.4), { timeoutMs: 50_000, stallTimeoutMs: 300, niceness: 10 });
    // It ran through several stall periods: the timer fired and let it go on.
    expect(Date.now() - started).toBeGreaterThan(600);
  });

  it.runIf(sandboxWanted('auto'))(
    'counts the CPU of a tool inside the sandbox (its own session)',
    async () => {
      const io = toolIo({ input: join(dir, 'input.bin') }, true);
      expect(io.binds).not.toBeNull();
      await runTool('ffmpeg', silentBusyFfmpeg(0.4), {
        timeoutMs: 50_000,
        stallTimeoutMs: 300,
        niceness: 10,
        io,
      });
    },
  );

  it('still kills a silent tool that uses no CPU (a read that never returns)', async () => {
    const started = Date.now();
    const error = await runTool('sleep', ['30'], { timeoutMs: 50_000, stallTimeoutMs: 400 }).catch((e) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).message).toBe('sleep stalled: no progress for 0.4 s');
    expect((error as MediaError).details.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('kills a tool that was busy and then stops using CPU', async () => {
    const script = 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 30';
    const error = await runTool('sh', ['-c', script], { timeoutMs: 50_000, stallTimeoutMs: 400 }).catch(
      (e) => e,
    );
    expect((error as MediaError).message).toBe('sh stalled: no progress for 0.4 s');
  });

  it("reads /proc's stat lines whatever the command is called", async () => {
    expect(
      parseStat('1234 (ffmpeg) S 1200 1234 1234 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 1 1 1'),
    ).toEqual({
      parent: 1200,
      ticks: 310,
    });
    expect(parseStat('9 (a) b (c) ) R 7 9 9 0 -1 0 0 0 0 0 1 2 3 4 20 0 1 0 1 1 1')).toEqual({
      parent: 7,
      ticks: 10,
    });
    for (const odd of ['', 'garbage', '1 (x) S', '1 (x) S p 1 1 0 -1 0 0 0 0 0 a b c d'])
      expect(parseStat(odd)).toBeNull();
    expect(await treeCpuSeconds(process.pid)).toBeGreaterThan(0);
    expect(await treeCpuSeconds(2 ** 30)).toBeNull();
  });
});
