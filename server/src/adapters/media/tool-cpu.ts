import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc's times: 100 on every Linux Dailies runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds used by a process and all its descendants (a tool and whatever its sandbox
 * started, in a session of its own), including the children they waited for; null where /proc
 * is not there to say. The stall timer asks this before it kills a tool that printed nothing:
 * a single-image decode of a huge still prints no progress but is busy, a read that never
 * returns is not.
 */
export async function treeCpuSeconds(rootPid: number): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return null;
  }
  const processes = new Map<number, ProcessTimes>();
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (pid) => {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
        const parsed = stat === null ? null : parseStat(stat);
        if (parsed) processes.set(Number(pid), parsed);
      }),
  );
  if (!processes.has(rootPid)) return null;
  const children = new Map<number, number[]>();
  for (const [pid, { parent }] of processes) children.set(parent, [...(children.get(parent) ?? []), pid]);
  let ticks = 0;
  const seen = new Set<number>();
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    ticks += processes.get(pid)?.ticks ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}

export interface ProcessTimes {
  parent: number;
  /** utime + stime + cutime + cstime. */
  ticks: number;
}

/**
 * One `/proc/<pid>/stat` line. The command name (field 2) may hold spaces and parentheses:
 * the fields are counted from the last `)`. Null when it is not such a line.
 */
export function parseStat(stat: string): ProcessTimes | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  // fields[0] is field 3 (state): the parent is field 4, utime..cstime fields 14..17.
  const fields = stat.slice(close + 2).split(' ');
  const parent = Number(fields[1]);
  const times = fields.slice(11, 15).map(Number);
  if (!Number.isInteger(parent) || times.length !== 4 || !times.every(Number.isFinite)) return null;
  return { parent, ticks: times.reduce((a, b) => a + b, 0) };
}
