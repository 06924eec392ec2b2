import { execFile, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolCommand } from '../../src/adapters/media/run-tool.js';
import { reapOrphanedTools } from '../../src/adapters/media/tool-reaper.js';
import { toolIo } from '../../src/adapters/media/tool-sandbox.js';
import { isEmpty, readUntil } from '../support/poll.js';
import { afterTheyGo, descendants, type ProcessInfo, processes } from '../support/process-tree.js';
import { startServerProcess } from '../support/server-process.js';

const run = promisify(execFile);

// Real: the tool chain (setpriv, sh, prlimit, nice, bwrap) as the server spawns it, a server
// process started from source and killed with SIGKILL, ffprobe/mediainfo/ffmpeg, /proc.
// A tool must never outlive the process that started it: not when that process dies in the
// middle of a transcode, and not when it dies in the instant between spawning the tool and the
// kernel being told to kill the tool with it.
let dir = '';
const leftovers: ProcessInfo[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dailies-tool-lifetime-'));
});
afterAll(async () => {
  for (const p of leftovers) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  await rm(dir, { recursive: true, force: true });
});

/** Runs `command` from a throwaway node process that exits the moment it has spawned it. */
async function spawnAndDie(command: string[]): Promise<void> {
  const script =
    "const { spawn } = require('node:child_process');" +
    "const argv = JSON.parse(process.argv[1]).map((a) => (a === '__PID__' ? String(process.pid) : a));" +
    // As runTool does: stdin a pipe held by the parent (the sandbox's lifeline).
    "spawn(argv[0], argv.slice(1), { detached: true, stdio: ['pipe', 'ignore', 'ignore'] }).unref();" +
    'process.exit(0);';
  const child = spawn(process.execPath, ['-e', script, JSON.stringify(command)], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
}

describe('tool processes die with the process that started them', () => {
  it.each([
    ['unsandboxed', false],
    ['in the sandbox', true],
  ])('even when it exits right after spawning one (%s)', { timeout: 120_000 }, async (_label, sandboxed) => {
    const input = join(dir, 'input.mov');
    await writeFile(input, 'not media');
    const io = sandboxed ? toolIo({ input }, true) : undefined;
    const markers: string[] = [];
    for (let i = 0; i < 20; i++) {
      // A duration no other process on the machine uses, to find this one by.
      const marker = `${randomInt(100_000, 999_999)}.${i + 1}`;
      markers.push(marker);
      const command = toolCommand('sleep', [marker], {
        timeoutMs: 60_000,
        niceness: 10,
        memoryMb: 512,
        cpuSeconds: 60,
        io,
      }).map((arg) => (arg === String(process.pid) ? '__PID__' : arg));
      await spawnAndDie(command);
    }
    const mine = async () =>
      (await processes()).filter((p) => markers.some((m) => p.command.split(' ').includes(m)));
    const gone = () => readUntil(mine, isEmpty, { timeout: 10_000 });
    // Whatever was started is gone soon after (each dies when it learns its parent is gone)…
    const left = await gone();
    // …but for a sandbox cloned in the instant its parent died, waiting for it forever: that
    // never ran its tool (no `sleep` is left), and the next server or worker start reaps it.
    expect(left.filter((p) => p.command.startsWith('sleep '))).toEqual([]);
    expect(left.every((p) => p.command.startsWith('bwrap ') && p.ppid === 1)).toBe(true);
    await reapOrphanedTools();
    const reaped = await gone();
    leftovers.push(...reaped);
    expect(reaped.map((p) => p.command)).toEqual([]);
  });

  it('a server killed with SIGKILL while it probes and transcodes leaves no tool running', {
    timeout: 600_000,
  }, async () => {
    const dataDir = join(dir, 'server');
    await mkdir(join(dataDir, 'lake', 'Day 01'), { recursive: true });
    // Long enough that every kill below finds a tool at work (a slow preset, a 20 s clip).
    for (const name of ['A001.mov', 'A002.mov']) {
      await run('ffmpeg', [
        ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=20'],
        ...[
          '-f',
          'lavfi',
          '-i',
          'sine=duration=20',
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
          '-c:a',
          'aac',
        ],
        join(dataDir, 'lake', 'Day 01', name),
      ]);
    }
    const killedTools: string[] = [];
    for (let round = 0; round < 3; round++) {
      const server = await startServerProcess({
        DAILIES_DATA_DIR: dataDir,
        DAILIES_PROXY_PRESET: 'veryslow',
        DAILIES_JOB_LEASE_SECONDS: '2',
        DAILIES_WATCH_LAKE: 'false',
      });
      // Wait for tools at work under this server (the start-up reconcile queues the probes).
      const atWork = (tools: ProcessInfo[]) =>
        tools.some((p) => /\b(ffmpeg|ffprobe|mediainfo) /.test(p.command));
      // A random interval per round, so each kill falls at another point of the tools' work.
      const seen = await readUntil(() => descendants(server.child.pid!), atWork, {
        timeout: 120_000,
        interval: 50 + randomInt(0, 100),
      });
      expect(atWork(seen)).toBe(true);
      const tools = await descendants(server.child.pid!);
      killedTools.push(...tools.map((p) => p.command.split(' ')[0]));
      await server.kill('SIGKILL');
      const left = await afterTheyGo(tools);
      leftovers.push(...left);
      expect(left.map((p) => p.command)).toEqual([]);
    }
    // The tools did run sandboxed: bwrap was among what the kills ended.
    expect(killedTools).toContain('bwrap');
  });
});
