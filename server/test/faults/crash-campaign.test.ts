import { describe, expect, it } from 'vitest';
import { runCampaign } from './crash-campaign.js';

// Real: `dailies serve` processes (fs lake with the watcher on, an edit volume, processing on)
// taking random uploads, renames, deletes, restores, moves, folder moves, copies and new folders
// from three clients, SIGKILLed at a random moment, restarted and settled. The long run is
// bench/crash-campaign.ts; this short one keeps the invariants in CI.
describe.each([
  { catalog: 'SQLite', postgres: false, iterations: 10 },
  { catalog: 'PostgreSQL', postgres: true, iterations: 10 },
])('the crash campaign on $catalog', ({ postgres, iterations }) => {
  it(`keeps every acknowledged upload, catalog = lake, no job stuck and no orphan tool over ${iterations} kills`, async () => {
    const report = await runCampaign({ iterations, postgres, log: (line) => console.log(line) });
    const acknowledged = report.iterations.reduce(
      (n, it) => n + Object.values(it.acknowledged).reduce((a, b) => a + b, 0),
      0,
    );
    console.log(
      `${report.catalog}: ${report.iterations.length} kills, ${acknowledged} operations acknowledged, ${report.acknowledgedUploads} uploads kept`,
    );
    expect(report.violations).toEqual([]);
    // The campaign did work between kills, so the invariants were tested on something.
    expect(report.acknowledgedUploads).toBeGreaterThan(0);
  }, 900_000);
});
