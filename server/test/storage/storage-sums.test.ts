/**
 * The kept storage sums equal a `du`-style recount after random sequences of every write that
 * changes them (assets inserted alone and in batches, resized, re-kinded, moved between folders,
 * trashed, restored, deleted; derivatives made, replaced and forgotten; volume copies recorded,
 * changed and removed; folds at any moment), on SQLite and PostgreSQL, for the whole catalog
 * and for an editor's scope. Real: the whole wiring on a fresh catalog of each kind.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KyselyLocationRepository } from '../../src/adapters/db/location.repository.js';
import * as leanTriggers from '../../src/adapters/db/migrations/2026-12-03T0910-storage-triggers-lean.js';
import { KyselyStorageRepository } from '../../src/adapters/db/storage.repository.js';
import { newAsset } from '../../src/features/assets/asset-factory.js';
import { sumKeys } from '../../src/features/storage/storage-figures.js';
import type { Asset, AssetKind, DerivativeKind } from '../../src/ports/catalog.js';
import type { StorageRepository } from '../../src/ports/storage.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';

const RUNS = Number(process.env.DAILIES_STORAGE_RUNS ?? 25);
const KINDS: Array<AssetKind | null> = [null, 'video', 'audio', 'image', 'other'];
const FORMATS = ['MOV', 'MXF', 'WAV', 'mov', 'A%_'];
const DERIVATIVES: DerivativeKind[] = ['thumbnail', 'proxy', 'filmstrip', 'filmstrip.vtt', 'waveform'];
const VOLUMES = ['edit', 'grade'];

type Op =
  | { op: 'insert'; folder: number; kind: number; format: number; size: number }
  | { op: 'insertMany'; folder: number; count: number; size: number }
  | { op: 'update'; asset: number; kind: number; format: number; size: number }
  | { op: 'move'; asset: number; folder: number }
  | { op: 'trash'; asset: number }
  | { op: 'restore'; asset: number }
  | { op: 'delete'; asset: number }
  | { op: 'derive'; asset: number; kind: number; size: number }
  | { op: 'forget'; asset: number }
  | { op: 'copy'; asset: number; volume: number; size: number }
  | { op: 'uncopy'; asset: number; volume: number }
  | { op: 'fold' };

const n = fc.nat({ max: 40 });
const bytes = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(2 ** 40 + 7));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), folder: n, kind: n, format: n, size: bytes }),
  fc.record({
    op: fc.constant('insertMany' as const),
    folder: n,
    count: fc.integer({ min: 1, max: 6 }),
    size: bytes,
  }),
  fc.record({ op: fc.constant('update' as const), asset: n, kind: n, format: n, size: bytes }),
  fc.record({ op: fc.constant('move' as const), asset: n, folder: n }),
  fc.record({ op: fc.constant('trash' as const), asset: n }),
  fc.record({ op: fc.constant('restore' as const), asset: n }),
  fc.record({ op: fc.constant('delete' as const), asset: n }),
  fc.record({ op: fc.constant('derive' as const), asset: n, kind: n, size: bytes }),
  fc.record({ op: fc.constant('forget' as const), asset: n }),
  fc.record({ op: fc.constant('copy' as const), asset: n, volume: n, size: bytes }),
  fc.record({ op: fc.constant('uncopy' as const), asset: n, volume: n }),
  fc.constant({ op: 'fold' as const }),
);

const pick = <T>(list: T[], i: number): T | undefined =>
  list.length === 0 ? undefined : list[i % list.length];

for (const catalogKind of CATALOGS) {
  describe(`storage sums on ${catalogKind}`, () => {
    let t: TestDailies;
    let storage: StorageRepository;
    const folderIds: string[] = [];
    beforeAll(async () => {
      t = await startDailies({ catalog: catalogKind, background: false });
      const { connection } = t.dailies;
      storage = new KyselyStorageRepository(connection.db, connection.dialect);
      const root = (await t.dailies.catalog.folders.getByPath('/'))!;
      folderIds.push(root.id);
      for (const [name, groups] of [
        ['Open', ['admin', 'editors']],
        ['Secret', ['admin', 'project-x']],
        ['Open/Inner', ['admin', 'editors']],
      ] as const) {
        const folder = await t.dailies.folders.create(
          { id: 'system', username: 'system', groups: ['admin'], isAdmin: true },
          `/${name}`,
        );
        await t.dailies.catalog.folders.setGroups(folder.id, [...groups]);
        folderIds.push(folder.id);
      }
    }, 60_000);
    afterAll(async () => t?.close());

    // The lean triggers (latest); the first ones, as the lean migration's `down` puts them back
    // (the sums they keep must agree with what the lean ones kept); the lean ones again. Only
    // that migration is undone and redone: the ones after it are about other tables.
    for (const [phase, step] of [
      ['latest', null],
      ['first triggers', leanTriggers.down],
      ['latest again', leanTriggers.up],
    ] as const)
      it(`${RUNS} random sequences keep the sums equal to a recount (${phase})`, async () => {
        if (step) await step(t.dailies.connection.db);
        await checkRandomSequences();
      }, 300_000);

    async function checkRandomSequences() {
      const { catalog, connection } = t.dailies;
      const locations = new KyselyLocationRepository(connection.db);
      const live: Asset[] = [];
      let sequences = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40 }), async (ops) => {
          for (const op of ops) await apply(op);
          const editors = { all: false as const, groups: ['editors'] };
          expect(sumKeys(await storage.sums({ all: true }))).toEqual(
            sumKeys(await storage.recount({ all: true })),
          );
          expect(sumKeys(await storage.sums(editors))).toEqual(sumKeys(await storage.recount(editors)));
          await storage.fold();
          expect(await storage.pending()).toBe(0);
          expect(sumKeys(await storage.sums({ all: true }))).toEqual(
            sumKeys(await storage.recount({ all: true })),
          );
          sequences++;
        }),
        { numRuns: RUNS },
      );
      expect(sequences).toBe(RUNS);
      // Every kind of row took part (a generator that never deletes would prove less).
      const parts = new Set((await storage.recount({ all: true })).map((s) => s.part));
      expect([...parts].sort()).toEqual(['asset', 'derived', 'volume']);

      async function apply(op: Op): Promise<void> {
        const asset = 'asset' in op ? pick(live, op.asset) : undefined;
        const now = Date.now();
        switch (op.op) {
          case 'insert': {
            const a = newAsset(
              { key: 'x', size: op.size, etag: 'e', mtime: now } as never,
              pick(folderIds, op.folder)!,
              `a${now}${Math.random()}.mov`,
              now,
            );
            a.kind = pick(KINDS, op.kind)!;
            a.format = pick(FORMATS, op.format)!;
            await catalog.assets.insert(a);
            live.push(a);
            return;
          }
          case 'insertMany': {
            const rows = Array.from({ length: op.count }, (_, i) =>
              newAsset(
                { key: 'x', size: op.size + i, etag: 'e', mtime: now } as never,
                pick(folderIds, op.folder)!,
                `m${i}-${Math.random()}.wav`,
                now,
              ),
            );
            await catalog.transaction((trx) => trx.assets.insertMany(rows));
            live.push(...rows);
            return;
          }
          case 'update':
            if (asset)
              await catalog.assets.update(asset.id, {
                kind: pick(KINDS, op.kind)!,
                format: pick(FORMATS, op.format)!,
                size: op.size,
              });
            return;
          case 'move':
            if (asset) await catalog.assets.update(asset.id, { folderId: pick(folderIds, op.folder)! });
            return;
          case 'trash':
            if (asset)
              await catalog.assets.update(asset.id, { trashedAt: now, trashedFrom: '/', trashKey: 'k' });
            return;
          case 'restore':
            if (asset)
              await catalog.assets.update(asset.id, { trashedAt: null, trashedFrom: null, trashKey: null });
            return;
          case 'delete':
            if (asset) {
              await catalog.assets.delete([asset.id]);
              live.splice(live.indexOf(asset), 1);
            }
            return;
          case 'derive':
            if (asset)
              await catalog.processing.putDerivative({
                assetId: asset.id,
                kind: pick(DERIVATIVES, op.kind)!,
                key: `${asset.id}/d`,
                contentType: 'image/jpeg',
                size: op.size,
                createdAt: now,
              });
            return;
          case 'forget':
            if (asset) await catalog.processing.forget([asset.id]);
            return;
          case 'copy':
            if (asset)
              await locations.put({
                assetId: asset.id,
                volumeId: pick(VOLUMES, op.volume)!,
                path: `p/${asset.id}`,
                xxh64: '0',
                size: op.size,
                mtime: now,
                copiedAt: now,
                state: 'verified',
              });
            return;
          case 'uncopy':
            if (asset) await locations.delete(asset.id, pick(VOLUMES, op.volume)!);
            return;
          case 'fold':
            await storage.fold();
            return;
        }
      }
    }
  });
}
