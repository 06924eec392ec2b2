/**
 * The long crash campaign: random operations from three clients against `dailies serve`
 * (fs lake, watcher on, an edit volume, processing on), SIGKILL at a random moment, restart,
 * settle, and the invariants checked after every kill: every acknowledged upload exists with its
 * checksum, catalog = lake, nothing partial under a final name, no job stuck running, no orphan
 * tool process, no trashed asset without its file.
 *
 *   source .test-services/env && npx tsx bench/crash-campaign.ts [iterations=50] [sqlite|postgres|both]
 */
import { runCampaign } from '../server/test/faults/crash-campaign.js';

const iterations = Number(process.argv[2] ?? 50);
const which = process.argv[3] ?? 'both';
const catalogs = which === 'both' ? [false, true] : [which === 'postgres'];

const rows: string[] = [];
let failed = false;
for (const postgres of catalogs) {
  const t0 = Date.now();
  const report = await runCampaign({
    iterations,
    postgres,
    log: (line) => console.error(`[${postgres ? 'postgres' : 'sqlite'}] ${line}`),
  });
  const total = (key: 'attempted' | 'acknowledged') => {
    const out: Record<string, number> = {};
    for (const it of report.iterations)
      for (const [op, n] of Object.entries(it[key])) out[op] = (out[op] ?? 0) + n;
    return out;
  };
  const acknowledged = total('acknowledged');
  const attempted = total('attempted');
  const settle = report.iterations.map((it) => it.settleMs).sort((a, b) => a - b);
  const ops = Object.keys(attempted).sort();
  rows.push(
    `| ${report.catalog} | ${report.iterations.length} | ${ops.map((op) => `${op} ${acknowledged[op] ?? 0}/${attempted[op]}`).join(', ')} | ${report.acknowledgedUploads} | ${settle[Math.floor(settle.length / 2)]} / ${settle[settle.length - 1]} | ${report.violations.length} | ${Math.round((Date.now() - t0) / 1000)} |`,
  );
  for (const v of report.violations) console.error(`[${report.catalog}] VIOLATION ${v}`);
  failed ||= report.violations.length > 0;
}
console.log(
  '| catalog | kills | operations acknowledged/attempted | uploads kept | restart+settle ms p50 / max | violations | s |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
process.exit(failed ? 1 : 0);
