/**
 * ASC MHL at card scale: writing, reading and checking a history of N files (a day's cards),
 * and C4 / xxh64 over one MHL file. Prints figures; asserts nothing.
 *   npx tsx bench/mhl.ts [files=100000]
 */
import { c4Of, hashAll } from '../server/src/lib/mhl/hash-formats.js';
import { parseGeneration } from '../server/src/lib/mhl/mhl-document.js';
import { readHistory, recordedFiles } from '../server/src/lib/mhl/mhl-history.js';
import { verifyFiles } from '../server/src/lib/mhl/mhl-verify.js';
import { writeChain, writeGeneration } from '../server/src/lib/mhl/mhl-writer.js';

const n = Number(process.argv[2] ?? 100_000);
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const xxh = (i: number) => (BigInt(i) * 0x9e3779b97f4a7c15n).toString(16).slice(-16).padStart(16, '0');

const files = Array.from({ length: n }, (_, i) => ({
  path: `Day 01/A${String(i % 100).padStart(3, '0')}R2EC/Clips/A001C${String(i).padStart(6, '0')}_141024_R2EC.mov`,
  size: 1_000_000 + i,
  values: { xxh64: { value: xxh(i), action: 'original' as const, hashDate: 0 } },
}));

let t = process.hrtime.bigint();
const text = writeGeneration({
  createdAt: Date.now(),
  hostname: 'bench',
  toolVersion: '0',
  process: 'in-place',
  files,
});
console.log(`write   ${n} files: ${ms(t).toFixed(0)} ms, ${(text.length / 1048576).toFixed(1)} MiB`);

const bytes = Buffer.from(text);
t = process.hrtime.bigint();
const c4 = c4Of(bytes);
console.log(`c4      of the file: ${ms(t).toFixed(0)} ms`);
t = process.hrtime.bigint();
hashAll(['xxh64'], bytes);
console.log(`xxh64   of the file: ${ms(t).toFixed(1)} ms`);

const heapBefore = process.memoryUsage().heapUsed;
t = process.hrtime.bigint();
const parsed = parseGeneration(text);
console.log(
  `parse   ${parsed.files.length} entries: ${ms(t).toFixed(0)} ms, heap +${((process.memoryUsage().heapUsed - heapBefore) / 1048576).toFixed(0)} MiB`,
);

const chain = writeChain([{ sequence: 1, path: '0001_x_2026-12-03_000000Z.mhl', c4 }]);
const source = async (p: string) =>
  p === 'ascmhl/ascmhl_chain.xml' ? Buffer.from(chain) : p.startsWith('ascmhl/0001') ? bytes : null;
t = process.hrtime.bigint();
const history = (await readHistory(source))!;
const recorded = recordedFiles(history);
console.log(`history read + reference values: ${ms(t).toFixed(0)} ms`);

const present = files.map((f) => ({ path: f.path, size: f.size }));
const byPath = new Map(files.map((f) => [f.path, f.values.xxh64.value]));
t = process.hrtime.bigint();
const result = await verifyFiles(recorded, present, async (f) => ({ xxh64: byPath.get(f.path)! }));
const verified = result.files.filter((f) => f.verdict === 'verified').length;
console.log(
  `verify  ${present.length} files against it (checksums known): ${ms(t).toFixed(0)} ms, ${verified} verified`,
);
