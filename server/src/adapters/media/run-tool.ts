import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { MediaError } from '../../ports/media.js';

export interface RunToolOptions {
  /** Hard limit: the tool is killed (SIGKILL) after this long. */
  timeoutMs: number;
  /**
   * Killed when stdout stays silent this long. With `-progress pipe:1` ffmpeg writes twice a
   * second while it works, so silence means it is stuck (a FIFO or network read that never returns).
   */
  stallTimeoutMs?: number;
  signal?: AbortSignal;
  /** Runs the tool under `nice -n N`; 0 runs it directly. */
  niceness?: number;
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
const DEFAULT_MAX_STDOUT = 64 * 1024 * 1024;

/** Spawns a media tool with a time limit, cancellation and readable failure reasons. */
export function runTool(tool: string, args: string[], options: RunToolOptions): Promise<ToolResult> {
  const { signal } = options;
  if (signal?.aborted)
    return Promise.reject(new MediaError(`${tool} was cancelled`, { tool, aborted: true }));
  const niceness = options.niceness ?? 0;
  const [niced, nicedArgv] = niceness > 0 ? ['nice', ['-n', String(niceness), tool, ...args]] : [tool, args];
  // A worker that dies (SIGKILL, out of memory) must not leave ffmpeg running on: on Linux the
  // kernel kills the tool with it (PR_SET_PDEATHSIG survives the exec of nice and the tool).
  const [command, argv] = HAS_SETPRIV
    ? ['setpriv', ['--pdeathsig', 'KILL', niced, ...nicedArgv]]
    : [niced, nicedArgv];

  return new Promise((resolve, reject) => {
    // `setpriv` and `nice` exec the tool, so killing this pid kills the tool itself.
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrTail = '';
    let progressLine = '';
    let progressFields: Record<string, string> = {};
    let stopReason: { message: string; timedOut?: boolean; aborted?: boolean } | null = null;
    const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;

    const stop = (reason: NonNullable<typeof stopReason>) => {
      if (stopReason) return;
      stopReason = reason;
      child.kill('SIGKILL');
    };

    const hardTimer = setTimeout(
      () => stop({ message: `${tool} timed out after ${seconds(options.timeoutMs)} s`, timedOut: true }),
      options.timeoutMs,
    );
    let stallTimer: NodeJS.Timeout | undefined;
    const armStallTimer = () => {
      if (!options.stallTimeoutMs) return;
      clearTimeout(stallTimer);
      stallTimer = setTimeout(
        () =>
          stop({
            message: `${tool} stalled: no progress for ${seconds(options.stallTimeoutMs!)} s`,
            timedOut: true,
          }),
        options.stallTimeoutMs,
      );
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
    child.on('close', (code) => {
      clearTimeout(hardTimer);
      clearTimeout(stallTimer);
      signal?.removeEventListener('abort', onAbort);
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
      } else if (code === 127) {
        // `nice` (like a shell) exits 127 when it cannot find the command.
        reject(new MediaError(`${tool} is not installed (not found on the PATH)`, details));
      } else if (code !== 0) {
        const why = readableTail(hidePaths(stderrTail, args));
        reject(new MediaError(`${tool} failed (exit ${code})${why ? `: ${why}` : ''}`, details));
      } else {
        resolve({ stdout: Buffer.concat(stdoutChunks).toString('utf8'), stderrTail });
      }
    });
  });
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return String(s >= 10 ? Math.round(s) : Number(s.toFixed(s < 0.1 ? 3 : 1)));
}

/** Server paths mean nothing to the person reading a reason (and say too much): keep file names. */
function hidePaths(text: string, args: string[]): string {
  const paths = args
    .filter((arg) => arg.startsWith('/') && arg.length > 1)
    .sort((a, b) => b.length - a.length);
  return paths.reduce((result, path) => result.split(path).join(basename(path)), text);
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
