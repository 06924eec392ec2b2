// The thread that computes xxHash64 + MD5 of byte streams for checksum-lanes.ts. Plain JavaScript:
// the server runs its TypeScript through a loader that worker threads do not inherit.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { Xxh64 } from '@node-rs/xxhash';

/** lane id → { ring, md5, xxh } */
const lanes = new Map();

parentPort.on('message', (message) => {
  const { op, lane } = message;
  try {
    if (op === 'open') {
      lanes.set(lane, { ring: new Uint8Array(message.ring), md5: createHash('md5'), xxh: new Xxh64() });
    } else if (op === 'update') {
      const state = lanes.get(lane);
      const bytes = state.ring.subarray(message.start, message.end);
      state.md5.update(bytes);
      state.xxh.update(bytes);
      parentPort.postMessage({ op: 'consumed', lane, bytes: bytes.length });
    } else if (op === 'digest') {
      const state = lanes.get(lane);
      lanes.delete(lane);
      parentPort.postMessage({
        op: 'digest',
        lane,
        xxh64: state.xxh.digest().toString(16).padStart(16, '0'),
        md5: state.md5.digest('hex'),
      });
    } else if (op === 'close') {
      lanes.delete(lane);
    }
  } catch (error) {
    lanes.delete(lane);
    parentPort.postMessage({ op: 'failed', lane, message: String(error?.message ?? error) });
  }
});
