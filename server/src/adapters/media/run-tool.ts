import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { MediaError } from '../../ports/media.js';
import { treeCpuSeconds } from './tool-cpu.js';
import { OWNER_VARIABLE } from './tool-reaper.js';
import { sandboxArgs, type ToolIo } from './tool-sandbox.js';

export interface RunToolOptions {
  /** Hard limit: the tool is killed (SIGKILL) after this long. */
  timeoutMs: number;
  /**
   * Killed when stdout stays silent this long while the tool uses no CPU. With `-progress
   * pipe:1` ffmpeg writes twice a second while it works, so silence and no CPU time means it is
   * stuck (a FIFO or network read that never returns); silence while busy (one huge still
   * decoded in one go) is work (see tool-cpu.ts).
   */
  stallTimeoutMs?: number;
  signal?: AbortSignal;
  /** Runs the tool under `nice -n N`; 0 runs it directly. */
  niceness?: number;
  /** Address space the tool may map, MiB (RLIMIT_AS); 0 or absent: no limit. */
  memoryMb?: number;
  /** CPU time the tool may use, seconds, all threads together (RLIMIT_CPU); 0 or absent: no limit. */
  cpuSeconds?: number;
  /** The sandbox's mounts and the paths to hide in reasons (see tool-sandbox.ts). */
  io?: ToolIo;
  /** Parses ffmpeg's `-progress pipe:1` blocks from stdout and hands each one over. */
  onProgress?: (fields: Record<string, string>) => void;
  /** Streams stdout (decoded samples, say) instead of collecting it. */
  onStdout?: (chunk: Buffer) => void;
  /** Collected stdout beyond this is an error, not a memory blow-up. */
  maxStdoutBytes?: number;
}

export interface ToolResult {
  stdout: string;
  stderrTail: string;
}

const STDERR_TAIL_BYTES = 8192;
const HAS_SETPRIV = process.platform === 'linux' && existsSync('/usr/bin/setpriv');
const HAS_PRLIMIT = process.platform === 'linux' && existsSync('/usr/bin/prlimit');
const DEFAULT_MAX_STDOUT = 64 * 1024 * 1024;
/** CPU seconds past the soft limit before the kernel kills a tool that ignored SIGXCPU. */
const CPU_GRACE_SECONDS = 5;
/** Failures of the machine rather than of the file: worth another attempt. */
const TRANSIENT =
  /No space left on device|Input\/output error|Resource temporarily unavailable|Disk quota exceeded/i;

/**
 * Runs after setpriv has armed the parent-death signal: if the server died before that (the
 * signal would never come), the tool's parent is no longer the server and it must not start.
 */
const PARENT_GUARD = '[ "$PPID" = "$1" ] || exit 137; shift; exec "$@"';

/**
 * Inside the sandbox the tool is a child of bubblewrap's init, which arms its own parent-death
 * signal only after it was cloned: a server dying in that instant would leave it running. So
 * the tool's stdin is a pipe this process holds open and never writes: when the server dies,
 * it closes, and the watcher beside the tool kills it. The tool itself reads /dev/null.
 */
const LIFELINE =
  'exec 3<&0; "$@" </dev/null 3<&- & t=$!; { cat <&3 >/dev/null; kill -9 "$t" 2>/dev/null; } & wait "$t"';

/** Whether the tool processes can be limited and tied to this process here (for `doctor`). */
export const toolGuards = { pdeathsig: HAS_SETPRIV, limits: HAS_PRLIMIT };

/**
 * The command line that runs `tool`: in the sandbox when given one, niced, within its limits,
 * and killed by the kernel when this process dies.
 */
export function toolCommand(tool: string, args: string[], options: RunToolOptions): string[] {
  const inner = options.io?.binds
    ? [
        'bwrap',
        // Names this process as the sandbox's owner, for reapOrphanedTools.
        ...['--setenv', OWNER_VARIABLE, String(process.pid)],
        ...sandboxArgs(options.io.binds),
        ...['--', 'sh', '-c', LIFELINE, 'dailies-tool', tool, ...args],
      ]
    : [tool, ...args];
  const niceness = options.niceness ?? 0;
  const niced = niceness > 0 ? ['nice', '-n', String(niceness), ...inner] : inner;
  const limits = [
    ...(options.memoryMb ? [`--as=${Math.round(options.memoryMb * 1024 * 1024)}`] : []),
    // Soft limit: SIGXCPU, which ends ffprobe and mediainfo and makes ffmpeg stop (it catches it,
    // and gives up after a few more, one a CPU second). A hard limit equal to it would send
    // SIGKILL instead, which reads like any kill from outside; the hard one is the backstop.
    ...(options.cpuSeconds
      ? [`--cpu=${Math.ceil(options.cpuSeconds)}:${Math.ceil(options.cpuSeconds) + CPU_GRACE_SECONDS}`]
      : []),
  ];
  const limited = HAS_PRLIMIT && limits.length > 0 ? ['prlimit', ...limits, '--', ...niced] : niced;
  // A worker that dies (SIGKILL, out of memory) must not leave ffmpeg running on: on Linux the
  // kernel kills the tool with it (PR_SET_PDEATHSIG survives the exec of sh, prlimit, nice and
  // the tool; bwrap sets its own for what it starts).
  return HAS_SETPRIV
    ? [
        'setpriv',
        '--pdeathsig',
        'KILL',
        'sh',
        '-c',
        PARENT_GUARD,
        'dailies-tool',
        String(process.pid),
        ...limited,
      ]
    : limited;
}

/** Spawns a media tool with limits, a time limit, cancellation and readable failure reasons. */
export function runTool(tool: string, args: string[], options: RunToolOptions): Promise<ToolResult> {
  const { signal } = options;
  if (signal?.aborted)
    return Promise.reject(new MediaError(`${tool} was cancelled`, { tool, aborted: true }));
  const [command, ...argv] = toolCommand(tool, args, options);

  return new Promise((resolve, reject) => {
    // Its own process group, so a stop reaches whatever the chain started (bwrap's children).
    // stdin is the sandbox's lifeline (see LIFELINE): held open, never written.
    const lifeline: 'pipe' | 'ignore' = options.io?.binds ? 'pipe' : 'ignore';
    const child = spawn(command, argv, {
      stdio: [lifeline, 'pipe', 'pipe'] as ['pipe', 'pipe', 'pipe'],
      detached: true,
      env: toolEnv(),
    });
    child.stdin?.on('error', () => {});
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrTail = '';
    let progressLine = '';
    let progressFields: Record<string, string> = {};
    let stopReason: { message: string; timedOut?: boolean; aborted?: boolean } | null = null;
    let exited = false;
    const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;

    const stop = (reason: NonNullable<typeof stopReason>) => {
      if (stopReason) return;
      stopReason = reason;
      killGroup(child.pid, () => child.kill('SIGKILL'));
    };

    const hardTimer = setTimeout(
      () => stop({ message: `${tool} timed out after ${seconds(options.timeoutMs)} s`, timedOut: true }),
      options.timeoutMs,
    );
    let stallTimer: NodeJS.Timeout | undefined;
    // CPU seconds of the tool's group when the stall timer last fired.
    let cpuAtLastCheck = 0;
    const armStallTimer = () => {
      if (!options.stallTimeoutMs) return;
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => void checkStalled(), options.stallTimeoutMs);
    };
    // Silent but busy (one huge still decoded in one go prints no progress) is working; silent
    // and idle (a read that never returns) is stuck. Busy: 1% of the period in CPU time.
    const checkStalled = async () => {
      const period = options.stallTimeoutMs!;
      const cpu = child.pid ? await treeCpuSeconds(child.pid) : null;
      if (stopReason || exited) return;
      if (cpu !== null && cpu - cpuAtLastCheck >= period / 100_000) {
        cpuAtLastCheck = cpu;
        armStallTimer();
        return;
      }
      stop({ message: `${tool} stalled: no progress for ${seconds(period)} s`, timedOut: true });
    };
    armStallTimer();
    const onAbort = () => stop({ message: `${tool} was cancelled`, aborted: true });
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      armStallTimer();
      if (options.onStdout) {
        options.onStdout(chunk);
        return;
      }
      if (options.onProgress) {
        progressLine += chunk.toString('utf8');
        const lines = progressLine.split('\n');
        progressLine = lines.pop() ?? '';
        for (const line of lines) {
          const eq = line.indexOf('=');
          if (eq < 0) continue;
          const key = line.slice(0, eq).trim();
          progressFields[key] = line.slice(eq + 1).trim();
          // Each block ends with `progress=continue` or `progress=end`.
          if (key === 'progress') {
            options.onProgress(progressFields);
            progressFields = {};
          }
        }
        return;
      }
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        stop({ message: `${tool} printed more than ${maxStdout} bytes` });
        return;
      }
      stdoutChunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });

    let spawnError: Error | null = null;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, exitSignal) => {
      exited = true;
      clearTimeout(hardTimer);
      clearTimeout(stallTimer);
      signal?.removeEventListener('abort', onAbort);
      // Whatever is left of the group (a sandbox's init) goes with it.
      killGroup(child.pid);
      child.stdin?.destroy();
      const details = { tool, exitCode: code, stderrTail };
      if (stopReason) {
        reject(
          new MediaError(stopReason.message, {
            ...details,
            timedOut: stopReason.timedOut,
            aborted: stopReason.aborted,
          }),
        );
      } else if (spawnError) {
        reject(new MediaError(`${tool} could not be started: ${spawnError.message}`, details));
      } else if (code === 127 || /execvp? .*No such file or directory/.test(stderrTail)) {
        // `sh`, `nice` and bwrap say so when they cannot find the command.
        reject(
          new MediaError(`${tool} is not installed (not found on the PATH)`, { ...details, exitCode: 127 }),
        );
      } else if (code !== 0) {
        const limit = limitReached(code, exitSignal, stderrTail, options);
        const why = limit ?? readableTail(hidePaths(stderrTail, args, options.io));
        const exit = code === null ? `killed by ${exitSignal}` : `exit ${code}`;
        reject(
          new MediaError(limit ? `${tool} ${limit}` : `${tool} failed (${exit})${why ? `: ${why}` : ''}`, {
            ...details,
            // A limit it hit, or an error it ended with on its own, comes back with the same
            // file; a kill from outside (the kernel's OOM killer) or a full disk may not.
            deterministic:
              limit !== null ||
              CRASHES.has(signalOf(code, exitSignal) ?? '') ||
              (code !== null && code < 128 && !TRANSIENT.test(stderrTail)),
          }),
        );
      } else {
        resolve({ stdout: Buffer.concat(stdoutChunks).toString('utf8'), stderrTail });
      }
    });
  });
}

/** The tools need no secret of the server's environment: a path, a locale, and few malloc arenas. */
function toolEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LC_ALL: process.env.LC_ALL ?? 'C.UTF-8',
    // glibc reserves 64 MiB of address space per thread's arena; x264 runs dozens of threads,
    // which would count against the address-space limit without using the memory.
    MALLOC_ARENA_MAX: '2',
  };
}

function killGroup(pid: number | undefined, fallback?: () => void): void {
  if (!pid) {
    fallback?.();
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback?.();
  }
}

/** Says which limit stopped the tool, when one did. */
function limitReached(
  code: number | null,
  exitSignal: NodeJS.Signals | null,
  stderr: string,
  options: RunToolOptions,
): string | null {
  const signalled = signalOf(code, exitSignal);
  if (
    options.cpuSeconds &&
    (signalled === 'SIGXCPU' ||
      // ffmpeg's own handler: it stops on SIGXCPU and exits on its fourth.
      /Received > 3 system signals|received signal 24\b/i.test(stderr))
  )
    return `used more than its ${options.cpuSeconds} s of CPU time and was stopped`;
  if (
    options.memoryMb &&
    /Cannot allocate memory|std::bad_alloc|out of memory|failed to map segment/i.test(stderr)
  )
    return `needed more than its ${options.memoryMb} MiB of memory and was stopped`;
  // ffmpeg refuses pictures whose buffer would pass 2 GiB (a decompression bomb's header).
  const size = /Picture size (\d+)x(\d+) is invalid/.exec(stderr);
  if (size)
    return `cannot decode a ${size[1]}×${size[2]} picture: it is larger than any frame ffmpeg decodes`;
  return null;
}

/** A decoder that crashes on a file crashes on it again. */
const CRASHES = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGILL']);

/** The signal that ended the tool; bwrap and sh report a signalled child as 128 + its number. */
function signalOf(code: number | null, exitSignal: NodeJS.Signals | null): string | null {
  if (exitSignal) return exitSignal;
  const names: Record<number, string> = {
    4: 'SIGILL',
    6: 'SIGABRT',
    7: 'SIGBUS',
    8: 'SIGFPE',
    9: 'SIGKILL',
    11: 'SIGSEGV',
    24: 'SIGXCPU',
  };
  return code !== null && code > 128 ? (names[code - 128] ?? null) : null;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return String(s >= 10 ? Math.round(s) : Number(s.toFixed(s < 0.1 ? 3 : 1)));
}

/** Server paths mean nothing to the person reading a reason (and say too much): keep file names. */
export function hidePaths(text: string, args: string[], io?: ToolIo): string {
  const named: Array<[string, string]> = [
    ...(io?.names ?? []),
    ...args
      .map((arg) => arg.replace(/^file:/, ''))
      .filter((arg) => arg.startsWith('/') && arg.length > 1)
      .map((path): [string, string] => [path, basename(path)]),
  ];
  return named
    .sort((a, b) => b[0].length - a[0].length)
    .reduce((result, [path, name]) => result.split(`file:${path}`).join(name).split(path).join(name), text);
}

/** The last few distinct lines of stderr: ffmpeg's final lines say what went wrong. */
export function readableTail(stderr: string, maxLines = 3, maxChars = 400): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\]\s*/, '').trim())
    .filter((line) => line.length > 0);
  const picked: string[] = [];
  for (let i = lines.length - 1; i >= 0 && picked.length < maxLines; i--) {
    if (!picked.includes(lines[i])) picked.unshift(lines[i]);
  }
  const text = picked.join('; ');
  return text.length > maxChars ? `…${text.slice(-maxChars)}` : text;
}
