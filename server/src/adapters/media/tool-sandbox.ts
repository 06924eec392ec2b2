import { spawnSync } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { basename, extname, isAbsolute, relative, resolve } from 'node:path';

/**
 * A media tool sees only the file it works on. A file can name other files (an ffconcat list
 * or an HLS playlist under a `.mov` name, a QuickTime reference movie, MXF external essence,
 * a DCP/IMF composition): ffmpeg's demuxer whitelist refuses the list formats, but mediainfo
 * follows references and has no switch to stop it. So, where bubblewrap works, each tool runs
 * in a sandbox whose file system holds the system's programs and libraries, the one input
 * (read-only, under a neutral name) and the one directory it writes — no lake, no data dir,
 * no network, no other process.
 */

/** `auto`: sandboxed when bubblewrap works on this machine; `off`: never. */
export type SandboxMode = 'auto' | 'off';

/** Where the input appears inside the sandbox, and where outputs go. */
const SANDBOX_INPUT_DIR = '/media';
const SANDBOX_OUTPUT_DIR = '/out';

/** What the tool is given: paths to name on its command line, and how to map them back. */
export interface ToolIo {
  /** The input as the tool must name it (absolute; never a protocol, pattern or option). */
  input: string;
  /** An output file (inside `outputDir`) as the tool must name it. */
  output(path: string): string;
  /** bubblewrap's mounts, or null when the tool runs unsandboxed. */
  binds: string[] | null;
  /** Paths the tool may print, with the name a person should read instead. */
  names: Array<[string, string]>;
}

export interface ToolFiles {
  input: string;
  /**
   * A directory the input lies in whose other files the tool may read too (an image sequence's
   * frames, staged by Dailies beside the list naming them): bound read-only as a whole.
   */
  inputDir?: string;
  /** The directory the tool writes its outputs into, if any. */
  outputDir?: string;
}

let probed: { ok: boolean; reason: string } | null = null;

/**
 * Whether bubblewrap can make a sandbox here (it needs user namespaces, or root). Asked once
 * per process: a real `bwrap … true` with the same options the tools get.
 */
export function sandboxSupport(): { ok: boolean; reason: string } {
  if (probed) return probed;
  if (process.platform !== 'linux') {
    probed = { ok: false, reason: 'bubblewrap sandboxes need Linux' };
    return probed;
  }
  const run = spawnSync('bwrap', [...sandboxArgs([]), '--', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    probed = {
      ok: false,
      reason: missing ? 'bubblewrap (bwrap) is not installed' : `bwrap could not run: ${run.error.message}`,
    };
  } else if (run.status !== 0) {
    probed = {
      ok: false,
      reason: `bwrap cannot make a sandbox here: ${run.stderr.trim() || `exit ${run.status}`}`,
    };
  } else {
    probed = { ok: true, reason: 'bubblewrap sandbox (the tool sees only its file)' };
  }
  return probed;
}

export function sandboxWanted(mode: SandboxMode): boolean {
  return mode !== 'off' && sandboxSupport().ok;
}

/**
 * bubblewrap's options: every namespace new (no network, no other process, no IPC), no
 * capabilities, killed with its parent; the system's programs and libraries read-only.
 */
export function sandboxArgs(binds: string[]): string[] {
  return [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--ro-bind',
    '/usr',
    '/usr',
    ...usrMergedLinks(),
    '--ro-bind-try',
    '/etc/ld.so.cache',
    '/etc/ld.so.cache',
    '--ro-bind-try',
    '/etc/alternatives',
    '/etc/alternatives',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    ...binds,
    '--chdir',
    '/',
  ];
}

/** `/lib`, `/bin`… as the host has them: links into /usr (merged /usr), else bound read-only. */
function usrMergedLinks(): string[] {
  const out: string[] = [];
  for (const dir of ['bin', 'sbin', 'lib', 'lib64', 'lib32', 'libx32']) {
    const host = `/${dir}`;
    if (!existsSync(host)) continue;
    const target = readLinkSafe(host);
    if (target) out.push('--symlink', target, host);
    else out.push('--ro-bind', host, host);
  }
  return out;
}

function readLinkSafe(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/**
 * The paths a tool is given. Sandboxed: the input is bound read-only at `/media/input.<ext>`
 * (a name no tool reads as a pattern, protocol or option) and the output directory at `/out`.
 * Unsandboxed: the absolute paths (callers add `file:` for ffmpeg and refuse patterns).
 */
export function toolIo(files: ToolFiles, sandboxed: boolean): ToolIo {
  const input = resolve(files.input);
  const outputDir = files.outputDir ? resolve(files.outputDir) : null;
  const shownInput = basename(input);
  if (!sandboxed) {
    return {
      input,
      output: (path) => resolve(path),
      binds: null,
      names: [[input, shownInput]],
    };
  }
  let inside = `${SANDBOX_INPUT_DIR}/input${safeExtension(input)}`;
  let binds = ['--ro-bind', input, inside];
  if (files.inputDir) {
    const within = relative(resolve(files.inputDir), input);
    if (within === '' || within.startsWith('..') || isAbsolute(within))
      throw new Error(`${input} is not inside the tool's input directory.`);
    inside = `${SANDBOX_INPUT_DIR}/${within}`;
    binds = ['--ro-bind', resolve(files.inputDir), SANDBOX_INPUT_DIR];
  }
  if (outputDir) binds.push('--bind', outputDir, SANDBOX_OUTPUT_DIR);
  return {
    input: inside,
    output: (path) => {
      const within = outputDir ? relative(outputDir, resolve(path)) : '';
      if (!outputDir || within === '' || within.startsWith('..') || isAbsolute(within))
        throw new Error(`${path} is not inside the tool's output directory.`);
      return `${SANDBOX_OUTPUT_DIR}/${within}`;
    },
    binds,
    names: [
      [inside, shownInput],
      ...(outputDir ? ([[`${SANDBOX_OUTPUT_DIR}/`, '']] as Array<[string, string]>) : []),
    ],
  };
}

/** The extension as a hint for the tools (`.mov`, `.dpx`), reduced to letters and digits. */
function safeExtension(path: string): string {
  const extension = extname(path).slice(1);
  return /^[A-Za-z0-9]{1,10}$/.test(extension) ? `.${extension}` : '';
}
