import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { kyselyCatalog } from '../../../src/adapters/db/catalog.js';
import { type CatalogConnection, connectCatalog } from '../../../src/adapters/db/dialect.js';
import { migrateToLatest } from '../../../src/adapters/db/migrate.js';

// A real SQLite file, as a server's catalog: SELECTs on reader threads, writes on the main connection.
let dir: string;
let connection: CatalogConnection | null = null;
afterEach(async () => {
  await connection?.close();
  connection = null;
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(sqliteReaders?: number) {
  dir = await mkdtemp(join(tmpdir(), 'dailies-readers-'));
  connection = connectCatalog({ sqliteFile: join(dir, 'catalog.db'), sqliteReaders });
  await migrateToLatest(connection.db);
  return { db: connection.db, catalog: kyselyCatalog(connection.db) };
}

/** A SELECT that counts to `n` the slow way: seconds of work for SQLite, none for the caller. */
const longRead = (n: number) =>
  sql<number>`(with recursive k(i) as (select 1 union all select i + 1 from k where i < ${sql.lit(n)}) select count(*) from k)`;

const folder = (id: string) => ({
  id,
  path: `/${id}`,
  parentId: null,
  name: id,
  createdBy: null,
  createdAt: 1,
  updatedAt: 1,
});

describe('SQLite catalog with reader threads', () => {
  it('completes a write, and keeps the event loop turning, while a long read is in progress', async () => {
    const { db, catalog } = await open();
    let readDone = false;
    const read = db
      .selectNoFrom(longRead(5_000_000).as('n'))
      .executeTakeFirstOrThrow()
      .then((row) => {
        readDone = true;
        return row.n;
      });
    // A timer fires only if the read is not running on this thread.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(readDone).toBe(false);
    await catalog.settings.set('written-during-read', 'yes', 1);
    await catalog.folders.insert(folder('during-read'), ['admin']);
    expect(readDone).toBe(false); // the writes did not wait for the read
    expect(await catalog.settings.get('written-during-read')).toBe('yes');
    expect(await read).toBe(5_000_000);
  });

  it('without reader threads, the same read holds the write back (what the threads fix)', async () => {
    const { db, catalog } = await open(0);
    let readDone = false;
    const read = db
      .selectNoFrom(longRead(2_000_000).as('n'))
      .executeTakeFirstOrThrow()
      .then(() => {
        readDone = true;
      });
    await catalog.settings.set('written-after-read', 'yes', 1);
    expect(readDone).toBe(true);
    await read;
  });

  it('reads every write committed before the read was asked (fast-check)', async () => {
    const { catalog } = await open();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'A', 'ä', '%', '_'), fc.string({ maxLength: 40 })), {
          minLength: 1,
          maxLength: 20,
        }),
        async (writes) => {
          const expected = new Map<string, string>();
          for (const [key, value] of writes) {
            await catalog.settings.set(`k-${key}`, value, 1);
            expected.set(`k-${key}`, value);
            expect(await catalog.settings.get(`k-${key}`)).toBe(value);
          }
          const entries = await catalog.settings.entries([...expected.keys()]);
          expect(new Map(entries.map((e) => [e.key, e.value]))).toEqual(expected);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('keeps a transaction on one connection: it reads its own writes, others see them after commit', async () => {
    const { catalog } = await open();
    let seenInside: unknown;
    let seenOutsideBeforeCommit: unknown = 'not read';
    await catalog.transaction(async (trx) => {
      await trx.folders.insert(folder('in-transaction'), ['admin']);
      seenInside = await trx.folders.getByPath('/in-transaction');
      // Another caller (a reader thread) does not see what is not committed yet.
      seenOutsideBeforeCommit = await catalog.folders.getByPath('/in-transaction');
    });
    expect(seenInside).toMatchObject({ id: 'in-transaction' });
    expect(seenOutsideBeforeCommit).toBeNull();
    expect(await catalog.folders.getByPath('/in-transaction')).toMatchObject({ id: 'in-transaction' });
  });

  it('rolls a failed transaction back and frees the main connection for the next write', async () => {
    const { catalog } = await open();
    await expect(
      catalog.transaction(async (trx) => {
        await trx.folders.insert(folder('rolled-back'), ['admin']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await catalog.folders.getByPath('/rolled-back')).toBeNull();
    await catalog.folders.insert(folder('after'), ['admin']);
    expect(await catalog.folders.getByPath('/after')).toMatchObject({ id: 'after' });
  });

  it('answers a bad read with an error, and the thread goes on answering', async () => {
    const { db, catalog } = await open();
    await expect(
      db
        .selectFrom('no_such_table' as never)
        .selectAll()
        .execute(),
    ).rejects.toThrow(/no such table/);
    await catalog.settings.set('still', 'answering', 1);
    expect(await catalog.settings.get('still')).toBe('answering');
  });

  it('answers many reads at once, across the threads, each with its own rows', async () => {
    const { catalog } = await open();
    for (let i = 0; i < 50; i++) await catalog.settings.set(`many-${i}`, `value ${i}`, 1);
    const values = await Promise.all(
      Array.from({ length: 200 }, (_, i) => catalog.settings.get(`many-${i % 50}`)),
    );
    expect(values).toEqual(Array.from({ length: 200 }, (_, i) => `value ${i % 50}`));
  });

  it('refuses reads after close instead of hanging', async () => {
    const { catalog } = await open();
    await catalog.settings.get('warm');
    await connection!.close();
    connection = null;
    await expect(catalog.settings.get('x')).rejects.toThrow();
  });
});
