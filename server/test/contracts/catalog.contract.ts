import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newAsset } from '../../src/features/assets/asset-factory.js';
import type { Asset, AssetSort, Catalog, Folder } from '../../src/ports/catalog.js';

/**
 * The Catalog contract: the same repositories and queries give the same answers on every
 * database. `makeCatalog` returns a fresh, migrated, empty catalog.
 */
export function catalogContract(label: string, makeCatalog: () => Promise<Catalog>): void {
  describe(`Catalog contract: ${label}`, () => {
    it('stores folders with their groups and finds them by path, id and parent', async () => {
      const catalog = await makeCatalog();
      const root = aFolder('/', null);
      const day = aFolder('/Day 01', root.id);
      await catalog.folders.insert(root, ['admin', 'editors']);
      await catalog.folders.insert(day, ['admin', 'cam-team']);
      expect((await catalog.folders.getByPath('/Day 01'))?.id).toBe(day.id);
      expect((await catalog.folders.getById(day.id))?.path).toBe('/Day 01');
      expect((await catalog.folders.children(root.id)).map((f) => f.path)).toEqual(['/Day 01']);
      expect((await catalog.folders.groupsOf([day.id])).get(day.id)).toEqual(['admin', 'cam-team']);
      await expect(catalog.folders.insert(aFolder('/Day 01', root.id), [])).rejects.toMatchObject({
        status: 409,
      });
    });

    it('moves a folder subtree by path prefix, leaving look-alike siblings alone', async () => {
      const catalog = await makeCatalog();
      const root = aFolder('/', null);
      await catalog.folders.insert(root, []);
      const a = aFolder('/A_1', root.id);
      const b = aFolder('/A_1/B%', a.id);
      const sibling = aFolder('/A_10', root.id);
      const other = aFolder('/AX1', root.id);
      for (const f of [a, b, sibling, other]) await catalog.folders.insert(f, ['admin']);
      await catalog.folders.movePaths('/A_1', '/Z/New', root.id, 5);
      const paths = (await catalog.folders.all()).map((f) => f.path).sort();
      expect(paths).toEqual(['/', '/AX1', '/A_10', '/Z/New', '/Z/New/B%']);
      expect((await catalog.folders.subtree('/Z/New')).map((f) => f.id).sort()).toEqual([a.id, b.id].sort());
    });

    it('compares folder paths exactly: case twins, % and _, look-alike prefixes and astral characters', async () => {
      const catalog = await makeCatalog();
      const root = aFolder('/', null);
      await catalog.folders.insert(root, ['admin']);
      const made = new Map<string, Folder>([['/', root]]);
      const paths = [
        '/Day_02',
        '/Day_02/CamA',
        '/day_02',
        '/Day',
        '/Day 2',
        '/Day/x',
        '/DayX',
        '/A%',
        '/AB',
        '/AB/c',
        '/A_',
        '/A\\',
        '/A\\/in',
        '/Caf\u00e9',
        '/Cafe\u0301',
        '/Cafe\u0301/in',
        '/🎬 Day',
        '/🎬 Day/Cam',
      ];
      for (const path of paths) {
        const parent = path.slice(0, path.lastIndexOf('/')) || '/';
        const folder = aFolder(path, made.get(parent)!.id);
        made.set(path, folder);
        await catalog.folders.insert(folder, ['admin']);
      }
      const subtree = async (p: string) => (await catalog.folders.subtree(p)).map((f) => f.path).sort();
      expect(await subtree('/day_02')).toEqual(['/day_02']);
      expect(await subtree('/Day_02')).toEqual(['/Day_02', '/Day_02/CamA']);
      expect(await subtree('/Day')).toEqual(['/Day', '/Day/x']);
      expect(await subtree('/A%')).toEqual(['/A%']);
      expect(await subtree('/A_')).toEqual(['/A_']);
      expect(await subtree('/A\\')).toEqual(['/A\\', '/A\\/in']);
      expect(await subtree('/Caf\u00e9')).toEqual(['/Caf\u00e9']);
      expect(await subtree('/🎬 Day')).toEqual(['/🎬 Day', '/🎬 Day/Cam']);
      // The issue's rename: an empty day_01 renamed must leave Day_01's subtree alone.
      await catalog.folders.movePaths('/day_02', '/Night_02', root.id, 5);
      await catalog.folders.movePaths('/🎬 Day', '/🎞 Night', root.id, 5);
      await catalog.folders.movePaths('/Cafe\u0301', '/Bar', root.id, 5);
      const all = (await catalog.folders.all()).map((f) => f.path).sort();
      expect(all).toEqual(
        [
          '/',
          '/Day_02',
          '/Day_02/CamA',
          '/Night_02',
          '/Day',
          '/Day 2',
          '/Day/x',
          '/DayX',
          '/A%',
          '/AB',
          '/AB/c',
          '/A_',
          '/A\\',
          '/A\\/in',
          '/Caf\u00e9',
          '/Bar',
          '/Bar/in',
          '/🎞 Night',
          '/🎞 Night/Cam',
        ].sort(),
      );
      expect((await catalog.folders.getByPath('/Day_02/CamA'))?.id).toBe(made.get('/Day_02/CamA')!.id);
      expect(await catalog.folders.getByPath('/day_02')).toBeNull();
    });

    it('gives a subtree exactly the paths below it, for generated names (fast-check)', async () => {
      const catalog = await makeCatalog();
      const root = aFolder('/', null);
      await catalog.folders.insert(root, ['admin']);
      const letters = fc.constantFrom(
        'a',
        'A',
        'b',
        '%',
        '_',
        ' ',
        '.',
        '\\',
        'é',
        'e\u0301',
        'ß',
        '🎬',
        '-',
        '0',
      );
      const segment = fc.array(letters, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
      const folders = new Map<string, Folder>([['/', root]]);
      await fc.assert(
        fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 3 }), async (segments) => {
          let path = '';
          for (const s of segments) {
            const parent = path || '/';
            path += `/${s}`;
            if (!folders.has(path)) {
              const folder = aFolder(path, folders.get(parent)!.id);
              folders.set(path, folder);
              await catalog.folders.insert(folder, ['admin']);
            }
          }
          const expected = [...folders.keys()].filter((p) => p === path || p.startsWith(`${path}/`)).sort();
          expect((await catalog.folders.subtree(path)).map((f) => f.path).sort()).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    });

    it('pages a folder by every sort column, both orders, with cursors that never skip or repeat, and by offset', async () => {
      const catalog = await makeCatalog();
      const root = aFolder('/', null);
      await catalog.folders.insert(root, []);
      const assets: Asset[] = [];
      for (let i = 0; i < 37; i++) {
        const a = newAsset(
          { key: `c${i}.mov`, size: (i * 7) % 11, etag: `e${i}`, mtime: i },
          root.id,
          `Clip ${String(i % 13).padStart(2, '0')}-${i}.${i % 3 ? 'mov' : 'mxf'}`,
          1000 + ((i * 5) % 9),
        );
        a.duration = i % 4 === 0 ? null : i * 1.5;
        a.state = (['pending', 'ready', 'failed'] as const)[i % 3];
        a.updatedAt = 2000 + ((i * 3) % 7);
        assets.push(a);
      }
      await catalog.assets.insertMany(assets);
      const sorts: AssetSort[] = ['name', 'id', 'format', 'state', 'created', 'modified', 'size', 'duration'];
      const value = (a: Asset, s: AssetSort) =>
        ({
          name: a.sortName,
          id: a.id,
          format: a.format,
          state: a.state,
          created: a.createdAt,
          modified: a.updatedAt,
          size: a.size,
          duration: a.duration,
        })[s];
      for (const sort of sorts) {
        for (const order of ['asc', 'desc'] as const) {
          const seen: Asset[] = [];
          let after: { value: string | number | null; id: string } | undefined;
          for (;;) {
            const page = await catalog.assets.page({ folderId: root.id, sort, order, limit: 5, after });
            seen.push(...page);
            if (page.length < 5) break;
            const last = page[page.length - 1];
            after = { value: value(last, sort) ?? null, id: last.id };
          }
          expect(new Set(seen.map((a) => a.id)).size, `${sort} ${order}`).toBe(37);
          const expected = [...assets].sort(
            (x, y) => compare(value(x, sort), value(y, sort), x.id, y.id) * (order === 'asc' ? 1 : -1),
          );
          expect(
            seen.map((a) => a.id),
            `${sort} ${order}`,
          ).toEqual(expected.map((a) => a.id));
          // A jump to a position gives the same rows the cursors reached there.
          for (const offset of [0, 5, 17, 35, 37]) {
            const jumped = await catalog.assets.page({ folderId: root.id, sort, order, limit: 5, offset });
            expect(
              jumped.map((a) => a.id),
              `${sort} ${order} at ${offset}`,
            ).toEqual(expected.slice(offset, offset + 5).map((a) => a.id));
          }
        }
      }
      expect(await catalog.assets.countLive(root.id)).toBe(37);
    });

    it('keeps one live asset per name in a folder, but trashed ones do not block the name', async () => {
      const catalog = await makeCatalog();
      const root = aFolder('/', null);
      await catalog.folders.insert(root, []);
      const first = newAsset({ key: 'x.mov', size: 1, etag: 'a', mtime: 1 }, root.id, 'x.mov', 1);
      await catalog.assets.insert(first);
      await expect(
        catalog.assets.insert(newAsset({ key: 'x.mov', size: 1, etag: 'a', mtime: 1 }, root.id, 'x.mov', 1)),
      ).rejects.toMatchObject({ status: 409 });
      await catalog.assets.update(first.id, { trashedAt: 5, trashedFrom: '/', trashKey: 't' });
      await catalog.assets.insert(
        newAsset({ key: 'x.mov', size: 2, etag: 'b', mtime: 2 }, root.id, 'x.mov', 2),
      );
      expect((await catalog.assets.trashed()).map((a) => a.id)).toEqual([first.id]);
      expect((await catalog.assets.findLive(root.id, 'x.mov'))?.size).toBe(2);
    });

    it('rolls back a failed transaction', async () => {
      const catalog = await makeCatalog();
      const root = aFolder('/', null);
      await catalog.folders.insert(root, []);
      await expect(
        catalog.transaction(async (trx) => {
          await trx.assets.insert(newAsset({ key: 'y', size: 1, etag: 'a', mtime: 1 }, root.id, 'y.mov', 1));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await catalog.assets.countLive(root.id)).toBe(0);
    });

    it('appends to the audit log and filters it', async () => {
      const catalog = await makeCatalog();
      await catalog.audit.record({
        at: 10,
        actorId: 'u1',
        actorName: 'ann',
        action: 'asset.upload',
        targetType: 'asset',
        targetId: 'a1',
        detail: { name: 'A.mov' },
      });
      await catalog.audit.record({ at: 20, actorId: 'u2', actorName: 'bob', action: 'asset.delete' });
      expect((await catalog.audit.list({ limit: 10 })).map((e) => e.action)).toEqual([
        'asset.delete',
        'asset.upload',
      ]);
      const filtered = await catalog.audit.list({ limit: 10, actorId: 'u1', since: 5 });
      expect(filtered).toHaveLength(1);
      expect(filtered[0].detail).toEqual({ name: 'A.mov' });
    });

    it('stores settings, replacing on write', async () => {
      const catalog = await makeCatalog();
      expect(await catalog.settings.get('lake')).toBeNull();
      await catalog.settings.set('lake', 'a', 1);
      await catalog.settings.set('lake', 'b', 2);
      expect(await catalog.settings.get('lake')).toBe('b');
    });

    it('keeps who saved a setting, and reads several at once', async () => {
      const catalog = await makeCatalog();
      await catalog.settings.set('lake', '{"kind":"fs"}', 10, 'admin');
      await catalog.settings.set('volumes', '[]', 20);
      await catalog.settings.set('volumes', '[1]', 30, 'ops');
      expect(await catalog.settings.entries(['lake', 'volumes', 'missing'])).toEqual([
        { key: 'lake', value: '{"kind":"fs"}', updatedAt: 10, updatedBy: 'admin' },
        { key: 'volumes', value: '[1]', updatedAt: 30, updatedBy: 'ops' },
      ]);
      expect(await catalog.settings.entries([])).toEqual([]);
    });

    it('reads the metadata records of many assets at once, without the raw output', async () => {
      const catalog = await makeCatalog();
      const ids = Array.from({ length: 1203 }, () => randomUUID());
      const record = (i: number) =>
        ({
          kind: 'video',
          general: { startTimecode: `01:00:00;${String(i % 30).padStart(2, '0')}` },
        }) as never;
      for (const [i, assetId] of ids.entries()) {
        if (i % 3 === 0) continue;
        await catalog.processing.saveMetadata({
          assetId,
          etag: 'e',
          record: record(i),
          raw: { ffprobe: { big: 'x'.repeat(100) }, mediainfo: null },
          probedAt: i,
        });
      }
      const records = await catalog.processing.metadataRecords([...ids, ids[1]]);
      expect(records.size).toBe(802);
      expect(records.get(ids[0])).toBeUndefined();
      expect(records.get(ids[1201])).toEqual(record(1201));
      expect(await catalog.processing.metadataRecords([])).toEqual(new Map());
    });
  });
}

function aFolder(path: string, parentId: string | null): Folder {
  return {
    id: randomUUID(),
    path,
    parentId,
    name: path.slice(path.lastIndexOf('/') + 1),
    createdBy: null,
    createdAt: 1,
    updatedAt: 1,
  };
}

/** Nulls first ascending, then id as tie-break: the order the API promises. */
function compare(a: unknown, b: unknown, idA: string, idB: string): number {
  if (a === b) return idA < idB ? -1 : idA > idB ? 1 : 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as number) < (b as number) ? -1 : 1;
}
