import { afterEach, describe, expect, it } from 'vitest';
import { UploadLocked } from '../../src/adapters/uploads/upload-locks.js';
import type { UploadLocks } from '../../src/ports/upload-locks.js';

/** Two servers' locks on one deployment (the same table twice for the in-process one). */
export interface UploadLocksPair {
  a: UploadLocks;
  b: UploadLocks;
  /** Ends the holder's connection as a killed server's would end (absent where there is none). */
  killHolder?: () => Promise<void>;
  close(): Promise<void>;
}

/** A request's lock as tus takes it: a signal, and a release callback that notes when it is asked. */
function request() {
  const controller = new AbortController();
  const asked: number[] = [];
  return {
    signal: controller.signal,
    abort: () => controller.abort(),
    asked,
    release: () => void asked.push(Date.now()),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The UploadLocks contract (`ports/upload-locks.ts`): every implementation (in one process on
 * SQLite, PostgreSQL advisory locks across servers) runs it.
 */
export function uploadLocksContract(
  label: string,
  open: (timeoutMs: number) => Promise<UploadLocksPair>,
  /** Locks held by a connection that can die apart from the process (not so in one process). */
  { holderConnection }: { holderConnection: boolean },
): void {
  describe(`UploadLocks contract: ${label}`, () => {
    const pairs: UploadLocksPair[] = [];
    afterEach(async () => {
      for (const pair of pairs.splice(0)) await pair.close();
    });
    async function pair(timeoutMs = 5_000) {
      const opened = await open(timeoutMs);
      pairs.push(opened);
      return opened;
    }

    it('one holder at a time across both servers: 24 requests never overlap, and all get their turn', async () => {
      const { a, b } = await pair();
      let inside = 0;
      let most = 0;
      let done = 0;
      await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const lock = (i % 2 ? a : b).newLock('upload-1');
          const r = request();
          await lock.lock(r.signal, r.release);
          inside++;
          most = Math.max(most, inside);
          await sleep(2);
          inside--;
          done++;
          await lock.unlock();
        }),
      );
      expect(most).toBe(1);
      expect(done).toBe(24);
    });

    it('different uploads do not wait for each other, case and wildcard twins included', async () => {
      const { a, b } = await pair(400);
      const ids = ['Upload', 'upload', 'UPLOAD', 'up%', 'up_oad', 'upload ', 'uplo\u0061d\u0301'];
      const held = [];
      for (const [i, id] of ids.entries()) {
        const lock = (i % 2 ? a : b).newLock(id);
        const r = request();
        await lock.lock(r.signal, r.release);
        held.push(lock);
      }
      for (const lock of held) await lock.unlock();
    });

    it('a waiting request asks the holder to let go (on the other server too), and gets the lock once it does', async () => {
      const { a, b } = await pair();
      const first = a.newLock('upload-2');
      const holder = request();
      await first.lock(holder.signal, holder.release);
      const second = b.newLock('upload-2');
      const waiter = request();
      let got = false;
      const waiting = second.lock(waiter.signal, waiter.release).then(() => {
        got = true;
      });
      await expect.poll(() => holder.asked.length, { timeout: 3_000 }).toBeGreaterThan(0);
      expect(got).toBe(false);
      // The request ends: its lock goes with it.
      await first.unlock();
      await waiting;
      expect(got).toBe(true);
      await second.unlock();
      // Unlocking twice, or a lock never taken, is harmless.
      await second.unlock();
      await a.newLock('never').unlock();
    });

    it('a holder that does not let go: the waiter gives up after the timeout with a 423, not a hang', async () => {
      const { a, b } = await pair(300);
      const stuck = a.newLock('upload-3');
      const r = request();
      await stuck.lock(r.signal, () => {}); // ignores every request to let go
      const started = Date.now();
      const error = await b
        .newLock('upload-3')
        .lock(request().signal, () => {})
        .catch((e) => e);
      expect(error).toBeInstanceOf(UploadLocked);
      expect(error.status).toBe(423);
      expect(error.message).toMatch(/try again/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(Date.now() - started).toBeLessThan(3_000);
      // The same server's second request gives up the same way.
      await expect(a.newLock('upload-3').lock(request().signal, () => {})).rejects.toBeInstanceOf(
        UploadLocked,
      );
      await stuck.unlock();
    });

    it('a waiting request whose client went away stops waiting', async () => {
      const { a, b } = await pair(10_000);
      const held = a.newLock('upload-4');
      await held.lock(request().signal, () => {});
      const waiter = request();
      const started = Date.now();
      const waiting = b.newLock('upload-4').lock(waiter.signal, () => {});
      setTimeout(waiter.abort, 50);
      await expect(waiting).rejects.toBeInstanceOf(UploadLocked);
      expect(Date.now() - started).toBeLessThan(2_000);
      await held.unlock();
      // Nothing was left held by the request that gave up.
      const next = b.newLock('upload-4');
      await next.lock(request().signal, () => {});
      await next.unlock();
    });

    it('finishing runs on one server only: the other answers at once without running its work', async () => {
      const { a, b } = await pair();
      let runs = 0;
      let open!: () => void;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const first = a.finishing('upload-5', async () => {
        runs++;
        await gate;
        return 'asset';
      });
      await expect.poll(() => runs).toBe(1);
      const started = Date.now();
      expect(await b.finishing('upload-5', async () => runs++)).toEqual({ ran: false });
      expect(await a.finishing('upload-5', async () => runs++)).toEqual({ ran: false });
      expect(Date.now() - started).toBeLessThan(1_000);
      open();
      expect(await first).toEqual({ ran: true, value: 'asset' });
      // Released when the work ends, failed work included.
      await expect(
        b.finishing('upload-5', async () => {
          throw new Error('publish failed');
        }),
      ).rejects.toThrow(/publish failed/);
      expect(await a.finishing('upload-5', async () => 'again')).toEqual({ ran: true, value: 'again' });
      // A write lock and a finish of one upload are separate locks.
      const write = a.newLock('upload-5');
      await write.lock(request().signal, () => {});
      expect(await b.finishing('upload-5', async () => 'while writing')).toEqual({
        ran: true,
        value: 'while writing',
      });
      await write.unlock();
    });

    if (holderConnection)
      it('a holder whose connection dies loses its locks: the other server gets them, the holder is told to stop', async () => {
        const { a, b, killHolder } = await pair();
        if (!killHolder) throw new Error('this implementation must say how its holder dies');
        const held = a.newLock('upload-6');
        const holder = request();
        await held.lock(holder.signal, holder.release);
        expect(
          await a.finishing('upload-7', async () => {
            await killHolder();
            // Its requests are told to stop: their lock is gone.
            await expect.poll(() => holder.asked.length, { timeout: 5_000 }).toBeGreaterThan(0);
            return 'killed';
          }),
        ).toEqual({ ran: true, value: 'killed' });
        const taken = b.newLock('upload-6');
        const r = request();
        await taken.lock(r.signal, r.release);
        expect(await b.finishing('upload-7', async () => 'b')).toEqual({ ran: true, value: 'b' });
        // The dead holder's late unlock releases nothing of what the other server now holds:
        // a new request on the first server still has to ask the other one to let go.
        await held.unlock();
        const third = a.newLock('upload-6');
        let got = false;
        const waiting = third
          .lock(request().signal, () => {})
          .then(() => {
            got = true;
          });
        await expect.poll(() => r.asked.length, { timeout: 3_000 }).toBeGreaterThan(0);
        expect(got).toBe(false);
        await taken.unlock();
        await waiting;
        await third.unlock();
      });
  });
}
