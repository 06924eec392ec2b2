/**
 * The hashing of uploads: native lanes (OpenSSL MD5, Rust xxHash64: what an fs lake uses) and
 * portable ones (hash-wasm: what S3 staging uses, whose state is saved after every PATCH).
 * Prints MB/s of each through the worker thread, and the cost of a save (per PATCH) and of a
 * resume from a saved state (per PATCH on another server).
 *
 *   npx tsx bench/upload-hashes.ts [MiB=256] [patchMiB=5]
 */
import { randomBytes } from 'node:crypto';
import { ChecksumLane } from '../server/src/lib/checksum-lanes.js';
import { decodeSavedHashes, encodeSavedHashes } from '../server/src/lib/saved-hashes.js';

const MiB = 1024 * 1024;
const total = Number(process.argv[2] ?? 256) * MiB;
const patch = Number(process.argv[3] ?? 5) * MiB;
const block = randomBytes(patch);

async function run(portable: boolean, carry: boolean) {
  let lane = new ChecksumLane({ portable });
  const saves: number[] = [];
  const started = performance.now();
  for (let sent = 0; sent < total; sent += patch) {
    for (let at = 0; at < patch; at += 256 * 1024) await lane.push(block.subarray(at, at + 256 * 1024));
    if (carry) {
      const t = performance.now();
      const saved = encodeSavedHashes(await lane.save(), 'bench');
      lane.close();
      // As another server would: decode and resume.
      lane = new ChecksumLane({ resume: decodeSavedHashes(saved, 'bench')! });
      saves.push(performance.now() - t);
    }
  }
  await lane.digest();
  const seconds = (performance.now() - started) / 1000;
  const mbps = total / 1e6 / seconds;
  saves.sort((a, b) => a - b);
  const p50 = saves.length ? saves[Math.floor(saves.length / 2)].toFixed(2) : '-';
  console.log(
    `${portable ? 'portable (hash-wasm)' : 'native (OpenSSL+Rust)'}${carry ? ', saved+resumed every PATCH' : ''}: ` +
      `${mbps.toFixed(0)} MB/s${carry ? `, save+resume p50 ${p50} ms` : ''}`,
  );
}

console.log(`${total / MiB} MiB in ${patch / MiB} MiB PATCHes`);
await run(false, false);
await run(true, false);
await run(true, true);
process.exit(0);
