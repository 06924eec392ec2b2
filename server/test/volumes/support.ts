import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../src/config.js';
import type { JobRecord } from '../../src/ports/job-queue.js';
import { type CatalogKind, startDailies, type TestDailies } from '../support/harness.js';
import { until } from '../support/poll.js';
import { freePort } from '../support/server-process.js';

const run = promisify(execFile);

export interface Samba {
  port: number;
  /** Runs smbclient commands against the `edit` share as a guest; returns stdout. */
  client(commands: string, cwd?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Real Samba (Debian `smbd`) on a loopback port, exporting `dir` as the guest share `edit`. */
export async function startSamba(dir: string): Promise<Samba> {
  const home = await mkdtemp(join(tmpdir(), 'dailies-smb-'));
  for (const sub of ['run', 'lock', 'state', 'cache', 'private']) await mkdir(join(home, sub));
  // The guest account (nobody) must be able to reach the share.
  await chmod(home, 0o755);
  const port = await freePort();
  const conf = join(home, 'smb.conf');
  await writeFile(
    conf,
    [
      '[global]',
      `smb ports = ${port}`,
      'bind interfaces only = yes',
      'interfaces = lo',
      'server role = standalone server',
      'map to guest = Bad User',
      'guest account = nobody',
      `pid directory = ${home}/run`,
      `lock directory = ${home}/lock`,
      `state directory = ${home}/state`,
      `cache directory = ${home}/cache`,
      `private dir = ${home}/private`,
      `ncalrpc dir = ${home}/run/ncalrpc`,
      `log file = ${home}/log.smbd`,
      'load printers = no',
      'disable spoolss = yes',
      'printcap name = /dev/null',
      '[edit]',
      `path = ${dir}`,
      'guest ok = yes',
      'read only = no',
      '',
    ].join('\n'),
  );
  // smbd signals its parent's process group when it stops: a shell in a group of its own
  // stands between it and the test runner.
  const child: ChildProcess = spawn(
    'sh',
    ['-c', 'smbd --foreground --no-process-group --debug-stdout -s "$1"; exit 0', 'sh', conf],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const client = async (commands: string, cwd = home) => {
    const { stdout } = await run(
      'smbclient',
      ['-p', String(port), '//127.0.0.1/edit', '-N', '-c', commands],
      {
        cwd,
        timeout: 30_000,
      },
    );
    return stdout;
  };
  let lastError = '';
  await until(
    async () =>
      child.exitCode !== null ||
      (await client('ls').then(
        () => true,
        (error: Error) => {
          lastError = error.message;
          return false;
        },
      )),
    { timeout: 20_000, interval: 200, what: 'smbd to answer' },
  ).catch(() => {
    throw new Error(`smbd did not answer: ${lastError}\n${log}`);
  });
  if (child.exitCode !== null) throw new Error(`smbd exited: ${log}`);
  return {
    port,
    client,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
        await exited;
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A volume directory that the Samba guest can read. */
export async function volumeDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

/** One edit volume, `edit` at `path`, for editors, with no periodic drift scan (tests scan when they mean to). */
export function editVolumeConfig(path: string): Pick<Config, 'volumes' | 'volumeScanInterval'> {
  return {
    volumes: [{ id: 'edit', name: 'Edit', path, displayPath: '/Volumes/edit', groups: ['editors'] }],
    volumeScanInterval: 0,
  };
}

/** Shares each folder (by path) with exactly these groups. */
export async function shareFolders(t: TestDailies, groupsByPath: Record<string, string[]>): Promise<void> {
  const folders = t.dailies.catalog.folders;
  for (const [path, groups] of Object.entries(groupsByPath)) {
    const folder = await folders.getByPath(path);
    if (!folder) throw new Error(`no folder ${path} to share`);
    await folders.setGroups(folder.id, groups);
  }
}

/** A server whose edit volume `edit` is a fresh directory (`vol`). */
export async function startWithEditVolume(
  catalog: CatalogKind,
  prefix: string,
): Promise<{ t: TestDailies; vol: string }> {
  const vol = await volumeDir(prefix);
  return { t: await startDailies({ catalog, config: editVolumeConfig(vol) }), vol };
}

/** The files on a volume directory, relative and sorted, without Dailies' own marker files. */
export async function filesOnVolume(vol: string): Promise<string[]> {
  return (await readdir(vol, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(vol.length + 1))
    .filter((path) => !path.startsWith('.dailies-'))
    .sort();
}

/** Runs a `volume.prepare` job directly, as a worker would on its first attempt: for the checks made when it runs. */
export function runPrepareJob(t: TestDailies, data: JobRecord<'volume.prepare'>['data']): Promise<void> {
  const job: JobRecord<'volume.prepare'> = {
    id: 'j',
    name: 'volume.prepare',
    data,
    state: 'running',
    attempts: 1,
    maxAttempts: 3,
    progressDone: 0,
    progressTotal: 0,
    error: null,
    createdAt: 0,
    updatedAt: 0,
  };
  return t.dailies.prepare.run(job, {
    attempt: 1,
    progress: async () => {},
    signal: new AbortController().signal,
  });
}
