import type { SettingsRepository } from '../../ports/catalog.js';
import type { ClusterLock } from '../../ports/cluster-lock.js';

/** What deciding which process runs a period needs. */
export interface PeriodDeps {
  /** Held by the database on PostgreSQL, so the read and the write of a claim are one step. */
  lock: ClusterLock;
  settings: SettingsRepository;
  now: () => number;
}

/**
 * A process whose timer fires a little early still finds the period taken: the claim of another
 * process counts for this share of the interval.
 */
const CLAIM_SHARE = 0.9;

/**
 * Takes the run of `name` for the interval now beginning, when no process of the deployment took
 * it in the last 90% of one. The time of the last claim is kept in the catalog (the settings
 * table), so every server on one PostgreSQL sees it; their clocks are assumed to agree (NTP) to
 * well within an interval.
 */
export async function claimPeriod(deps: PeriodDeps, name: string, intervalMs: number): Promise<boolean> {
  const key = `periodic:${name}`;
  return deps.lock.run(key, async () => {
    const now = deps.now();
    const last = Number(await deps.settings.get(key));
    if (Number.isFinite(last) && last <= now && now - last < intervalMs * CLAIM_SHARE) return false;
    await deps.settings.set(key, String(now), now);
    return true;
  });
}

/**
 * Runs `work` once per interval across every process of the deployment: each process's timer
 * fires every interval and only the one that claims the period works, so N servers re-index the
 * lake once per interval, not N times. Returns the stop.
 */
export function onceEveryInterval(
  deps: PeriodDeps,
  name: string,
  intervalMs: number,
  work: () => Promise<unknown>,
  log: (message: string, error?: unknown) => void,
): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    // The previous run here is still going: this process does not claim another.
    if (running) return;
    running = claimPeriod(deps, name, intervalMs)
      .then((mine) => (mine ? work() : undefined))
      .catch((error) => log(`${name} failed`, error))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  // A run under way is not waited for: a re-index of a large lake must not hold up a shutdown.
  return async () => clearInterval(timer);
}
