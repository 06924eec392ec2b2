import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { SYSTEM_ACTOR } from '../features/access/actor.js';
import { sumKeys } from '../features/storage/storage-figures.js';
import { withDailies } from './with-dailies.js';

const STORAGE_USAGE = `Usage: dailies storage [--folder <path>] [--json] [--check]
  --folder   the folder to sum (default /), its sub-folders listed
  --json     the same figures as GET /api/storage, as JSON
  --check    also recount every sum from the assets (a du) and fail when they differ`;

/** `dailies storage`: the storage page's figures as a table or JSON. */
export async function runStorage(config: Config, args: string[]): Promise<number> {
  let values: { folder?: string; json?: boolean; check?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { folder: { type: 'string' }, json: { type: 'boolean' }, check: { type: 'boolean' } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${STORAGE_USAGE}`);
    return 2;
  }
  return withDailies(config, async (dailies) => {
    const overview = await dailies.storage.overview(SYSTEM_ACTOR, values.folder ?? '/');
    let differ = 0;
    if (values.check) {
      const repository = dailies.storage.repository;
      const kept = new Set(sumKeys(await repository.sums({ all: true })));
      const counted = sumKeys(await repository.recount({ all: true }));
      differ = counted.filter((k) => !kept.has(k)).length + Math.max(0, kept.size - counted.length);
    }
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify(values.check ? { ...overview, check: { differ } } : overview, null, 2)}\n`,
      );
    } else {
      const rows: string[][] = [['folder', 'assets', 'size']];
      rows.push([overview.folder.path, count(overview.folder.assets), bytes(overview.folder.bytes)]);
      if (overview.here.assets > 0 && overview.children.length > 0)
        rows.push(['  (in the folder itself)', count(overview.here.assets), bytes(overview.here.bytes)]);
      for (const child of overview.children)
        rows.push([`  ${child.name}`, count(child.assets), bytes(child.bytes)]);
      rows.push(['', '', '']);
      for (const kind of overview.kinds)
        rows.push([`kind ${kind.kind}`, count(kind.assets), bytes(kind.bytes)]);
      for (const d of overview.derived.kinds)
        rows.push([`derivatives: ${d.kind}`, count(d.assets), bytes(d.bytes)]);
      rows.push(['trash', count(overview.trash.assets), bytes(overview.trash.bytes)]);
      for (const v of overview.volumes)
        rows.push([
          `volume ${v.name}`,
          count(v.assets),
          `${bytes(v.bytes)}${v.free === null ? '' : ` (${bytes(v.free)} free)`}`,
        ]);
      if (overview.cost.total !== null)
        rows.push(['monthly cost', '', `${overview.cost.total} ${overview.cost.currency}`]);
      process.stdout.write(table(rows));
      if (values.check)
        process.stdout.write(
          differ === 0
            ? 'check: the sums equal a recount\n'
            : `check: ${differ} sums differ from a recount\n`,
        );
    }
    return differ === 0 ? 0 : 1;
  });
}

const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Decimal units, as volumes and prices per GB count. */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
