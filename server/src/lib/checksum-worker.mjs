// The thread that computes xxHash64 + MD5 of byte streams for checksum-lanes.ts. Plain JavaScript:
// the server runs its TypeScript through a loader that worker threads do not inherit.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { Xxh64 } from '@node-rs/xxhash';
import { createMD5, createXXHash64 } from 'hash-wasm';

/**
 * Two kinds of hasher. Native (OpenSSL's MD5, the Rust xxHash64) is the fastest but its state
 * stays inside the process. Portable (WebAssembly) is slower for MD5 (about 1.5×) but its state
 * can be saved and loaded, so an upload whose PATCHes land on different servers carries its
 * running hash from one to the next.
 */
async function nativeHashers() {
  const md5 = createHash('md5');
  const xxh = new Xxh64();
  return {
    update(bytes) {
      md5.update(bytes);
      xxh.update(bytes);
    },
    digest: () => ({ xxh64: xxh.digest().toString(16).padStart(16, '0'), md5: md5.digest('hex') }),
    save() {
      throw new Error('A native hash cannot be saved.');
    },
  };
}

async function portableHashers(state) {
  const [md5, xxh] = await Promise.all([createMD5(), createXXHash64()]);
  if (state) {
    md5.load(state.md5);
    xxh.load(state.xxh64);
  } else {
    md5.init();
    xxh.init();
  }
  return {
    update(bytes) {
      md5.update(bytes);
      xxh.update(bytes);
    },
    digest: () => ({ xxh64: xxh.digest('hex'), md5: md5.digest('hex') }),
    save: () => ({ md5: md5.save(), xxh64: xxh.save() }),
  };
}

/** lane id → { ring, hashers: Promise } (opening a portable hasher is asynchronous; messages wait on it in order) */
const lanes = new Map();

function failed(lane, error) {
  lanes.delete(lane);
  parentPort.postMessage({ op: 'failed', lane, message: String(error?.message ?? error) });
}

parentPort.on('message', (message) => {
  const { op, lane } = message;
  if (op === 'open') {
    const hashers = message.portable ? portableHashers(message.state) : nativeHashers();
    // A state that does not load fails the lane at its first use, not the thread.
    hashers.catch(() => {});
    lanes.set(lane, { ring: new Uint8Array(message.ring), hashers, queue: Promise.resolve() });
    return;
  }
  if (op === 'close') {
    lanes.delete(lane);
    return;
  }
  const entry = lanes.get(lane);
  if (!entry) return;
  // Each lane's steps run in order after its hashers are ready.
  entry.queue = entry.queue.then(async () => {
    if (lanes.get(lane) !== entry) return;
    try {
      const hashers = await entry.hashers;
      if (op === 'update') {
        const bytes = entry.ring.subarray(message.start, message.end);
        hashers.update(bytes);
        parentPort.postMessage({ op: 'consumed', lane, bytes: bytes.length });
      } else if (op === 'save') {
        parentPort.postMessage({ op: 'saved', lane, state: hashers.save() });
      } else if (op === 'digest') {
        lanes.delete(lane);
        parentPort.postMessage({ op: 'digest', lane, ...hashers.digest() });
      }
    } catch (error) {
      failed(lane, error);
    }
  });
});
