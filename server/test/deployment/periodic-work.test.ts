/**
 * Real: two servers as on two machines (each its own data dir) on one PostgreSQL, each with the
 * periodic re-index on. Together they must re-index once per interval, not once each.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { claimPeriod } from '../../src/features/system/periodic-work.js';
import { startBackground } from '../../src/wiring.js';
import { startDailies, type TestDailies } from '../support/harness.js';

const started: Array<{ t: TestDailies; stop: () => Promise<void> }> = [];
afterEach(async () => {
  for (const { t, stop } of started.splice(0).reverse()) {
    await stop();
    await t.close();
  }
});

describe('periodic work once per deployment', () => {
  it('two servers on one PostgreSQL re-index once per interval between them, and once at start', async () => {
    const intervalSeconds = 1;
    const a = await startDailies({
      catalog: 'postgres',
      background: false,
      config: { reconcileInterval: intervalSeconds },
    });
    const b = await startDailies({
      background: false,
      config: { reconcileInterval: intervalSeconds, databaseUrl: a.config.databaseUrl },
    });
    const runs: Array<{ server: string; at: number }> = [];
    for (const [server, t] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const reconcile = t.dailies.indexing.reconcile.bind(t.dailies.indexing);
      // The time the claim was taken (kept in the catalog), not when the run began: under load
      // the claim's lock and write can take longer one period than the next.
      t.dailies.indexing.reconcile = async () => {
        runs.push({ server, at: Number(await t.dailies.catalog.settings.get('periodic:reconcile')) });
        return reconcile();
      };
    }
    // Started half an interval apart, so their timers are out of step (deliberate delays: the
    // test watches timers run for a while; there is no state to poll for).
    started.push({ t: a, stop: await startBackground(a.dailies) });
    await new Promise((r) => setTimeout(r, 500));
    started.push({ t: b, stop: await startBackground(b.dailies) });
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 4_600));
    const window = runs.filter((r) => r.at >= from - 600);
    // Each server's timer fires four times or more in the window: eight or more runs without
    // the claim. With it, about one per interval, never two claims within 90% of one.
    expect(window.length, JSON.stringify(runs)).toBeGreaterThanOrEqual(3);
    expect(window.length, JSON.stringify(runs)).toBeLessThanOrEqual(6);
    const times = runs.map((r) => r.at).sort((x, y) => x - y);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!, JSON.stringify(runs)).toBeGreaterThanOrEqual(900);
    // At start only the first server re-indexed: the second, half an interval later, found the
    // period taken (the gaps above say no claim followed within 900 ms).
    expect(runs[0]?.server).toBe('a');
  });

  it('of many claims at once from two servers, exactly one takes the period', async () => {
    const a = await startDailies({ catalog: 'postgres', background: false });
    const b = await startDailies({ background: false, config: { databaseUrl: a.config.databaseUrl } });
    started.push({ t: a, stop: async () => {} }, { t: b, stop: async () => {} });
    const deps = (t: TestDailies) => ({
      lock: t.dailies.clusterLock,
      settings: t.dailies.catalog.settings,
      now: Date.now,
    });
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) => claimPeriod(deps(i % 2 ? a : b), 'volume-scan', 60_000)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    // Another task's period is its own.
    expect(await claimPeriod(deps(a), 'upload-sweep', 60_000)).toBe(true);
    // A clock far ahead recorded a claim "in the future": it does not block the period for ever.
    await a.dailies.catalog.settings.set('periodic:reconcile', String(Date.now() + 86_400_000), Date.now());
    expect(await claimPeriod(deps(b), 'reconcile', 60_000)).toBe(true);
    expect(await claimPeriod(deps(a), 'reconcile', 60_000)).toBe(false);
    // Junk in the record is no claim.
    await a.dailies.catalog.settings.set('periodic:junk', 'NaN', Date.now());
    expect(await claimPeriod(deps(a), 'junk', 60_000)).toBe(true);
  });
});
