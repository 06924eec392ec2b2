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

/** `work` as a periodic task that works only in the process claiming the period (see Scheduler). */
export function oncePerPeriod(
  deps: PeriodDeps,
  name: string,
  intervalMs: number,
  work: () => Promise<unknown>,
): () => Promise<unknown> {
  return async () => ((await claimPeriod(deps, name, intervalMs)) ? work() : undefined);
}
