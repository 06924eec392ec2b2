import { hostname } from 'node:os';

/**
 * Who wrote a temporary file, as its name carries it (`…<host>~<pid>…`): so the next start of
 * a server on this host knows a file whose writer no longer runs is debris, however fresh.
 */
export const THIS_HOST =
  hostname()
    .replace(/[^A-Za-z0-9-]/g, '-')
    .slice(0, 63) || 'host';

/** True when `host`/`pid` name a process of this host, not this one, that no longer runs. */
export function writerIsGone(host: string | undefined, pid: number): boolean {
  return host === THIS_HOST && pid !== process.pid && !alive(pid);
}

/** Whether a process of this host still runs (one owned by another user counts as running). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
