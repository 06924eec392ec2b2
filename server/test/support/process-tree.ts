import { readdir, readFile } from 'node:fs/promises';
import { isEmpty, readUntil } from './poll.js';

/** A process as /proc shows it; `start` (clock ticks since boot) tells a reused pid apart. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  start: string;
  command: string;
}

async function info(pid: number): Promise<ProcessInfo | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') return null;
    const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
    return { pid, ppid: Number(fields[1]), start: fields[19], command };
  } catch {
    return null;
  }
}

/** Every live process. */
export async function processes(): Promise<ProcessInfo[]> {
  const pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p)).map(Number);
  return (await Promise.all(pids.map(info))).filter((p): p is ProcessInfo => p !== null);
}

/** Every live descendant of `pid` (children, their children, …). */
export async function descendants(pid: number): Promise<ProcessInfo[]> {
  const all = await processes();
  const out: ProcessInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        out.push(p);
        grew = true;
      }
    }
  }
  return out;
}

/** Those of `known` still running (the same pid and start time). */
export async function stillRunning(known: ProcessInfo[]): Promise<ProcessInfo[]> {
  const now = await Promise.all(known.map((p) => info(p.pid)));
  return known.filter((p, i) => now[i] !== null && now[i]!.start === p.start);
}

/** Polls until none of `known` runs (a killed process takes a moment to go); returns what is left. */
export function afterTheyGo(known: ProcessInfo[], timeout = 10_000): Promise<ProcessInfo[]> {
  return readUntil(() => stillRunning(known), isEmpty, { timeout });
}
