import { readdir, readFile } from 'node:fs/promises';
import { processRuns } from '../../lib/process-identity.js';

/** bubblewrap is given `--setenv` of this name with the pid of the process that ran it. */
export const OWNER_VARIABLE = 'DAILIES_TOOL_OWNER';

/**
 * Kills sandboxes whose owner (a server or worker) is dead. A tool dies with its owner (see
 * run-tool.ts), but bubblewrap's child, cloned an instant before its parent was killed, can
 * be left waiting for a parent that will never answer: it never starts the tool, yet it would
 * stay forever. Called when a server or worker starts. Returns how many were killed.
 */
export async function reapOrphanedTools(): Promise<number> {
  if (process.platform !== 'linux') return 0;
  let killed = 0;
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!argv[0]?.endsWith('bwrap')) continue;
    const at = argv.findIndex((arg, i) => arg === '--setenv' && argv[i + 1] === OWNER_VARIABLE);
    const owner = at >= 0 ? Number(argv[at + 2]) : Number.NaN;
    if (!Number.isInteger(owner) || owner <= 0 || processRuns(owner)) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
      killed++;
    } catch {
      // gone already
    }
  }
  return killed;
}
