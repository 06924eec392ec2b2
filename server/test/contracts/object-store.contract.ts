import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../src/ports/object-store.js';

/**
 * The ObjectStore contract. Every adapter (fs, s3) runs it against a real backend.
 * `makeStore` returns a fresh, empty store for each test.
 */
export function objectStoreContract(label: string, makeStore: () => Promise<ObjectStore>): void {
  describe(`ObjectStore contract: ${label}`, () => {
    it('writes, heads and reads an object back byte for byte', async () => {
      const store = await makeStore();
      const body = Buffer.from('frame data '.repeat(1000));
      const written = await store.write('Day 01/Cam A/A001.mov', body);
      expect(written.size).toBe(body.length);
      const head = await store.head('Day 01/Cam A/A001.mov');
      expect(head).toMatchObject({ key: 'Day 01/Cam A/A001.mov', size: body.length });
      expect(head!.etag).toBe(written.etag);
      const read = await buffer(await store.read('Day 01/Cam A/A001.mov'));
      expect(read.equals(body)).toBe(true);
    });

    it('streams a body of unknown length', async () => {
      const store = await makeStore();
      const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024, i));
      await store.write('stream.bin', Readable.from(chunks));
      const read = await buffer(await store.read('stream.bin'));
      expect(md5(read)).toBe(md5(Buffer.concat(chunks)));
    });

    it('refuses to write over an existing object', async () => {
      const store = await makeStore();
      await store.write('clip.mov', Buffer.from('first'));
      await expect(store.write('clip.mov', Buffer.from('second'))).rejects.toMatchObject({ status: 409 });
      await expect(store.write('clip.mov', Readable.from([Buffer.from('third')]))).rejects.toMatchObject({
        status: 409,
      });
      expect((await buffer(await store.read('clip.mov'))).toString()).toBe('first');
    });

    it('reads a byte range', async () => {
      const store = await makeStore();
      await store.write('range.txt', Buffer.from('0123456789'));
      const part = await buffer(await store.read('range.txt', { start: 2, end: 5 }));
      expect(part.toString()).toBe('2345');
    });

    it('answers 416 for a range that starts past the end, never a storage failure', async () => {
      const store = await makeStore();
      await store.write('short.txt', Buffer.from('0123456789'));
      for (const range of [
        { start: 10, end: 10 },
        { start: 11, end: 20 },
        { start: 2 ** 53 - 1, end: 2 ** 53 - 1 },
      ]) {
        await expect(store.read('short.txt', range)).rejects.toMatchObject({ status: 416 });
      }
      // The end may lie past the object: what there is is served.
      expect((await buffer(await store.read('short.txt', { start: 8, end: 1_000_000 }))).toString()).toBe(
        '89',
      );
    });

    it('answers null for a missing head and NotFound for a missing read', async () => {
      const store = await makeStore();
      expect(await store.head('nope.mov')).toBeNull();
      await expect(store.read('nope.mov')).rejects.toMatchObject({ status: 404 });
    });

    it('lists recursively in key order, paged by cursor', async () => {
      const store = await makeStore();
      const keys = ['a/1.mov', 'a/2.mov', 'a/b/3.mov', 'c.mov', 'd/4.mov'];
      for (const key of [...keys].reverse()) await store.write(key, Buffer.from(key));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list('', { cursor, limit: 2 });
        expect(page.objects.length).toBeLessThanOrEqual(2);
        seen.push(...page.objects.map((o) => o.key));
        cursor = page.cursor;
      } while (cursor);
      expect(seen).toEqual(keys);
      const underA: string[] = [];
      for await (const o of store.listAll('a/')) underA.push(o.key);
      expect(underA).toEqual(['a/1.mov', 'a/2.mov', 'a/b/3.mov']);
    });

    it('copies server-side without touching the source, and refuses to overwrite', async () => {
      const store = await makeStore();
      await store.write('src.mov', Buffer.from('source'));
      await store.write('taken.mov', Buffer.from('other'));
      const copied = await store.copy('src.mov', 'dst/copy.mov');
      expect(copied.size).toBe(6);
      expect((await buffer(await store.read('dst/copy.mov'))).toString()).toBe('source');
      expect(await store.head('src.mov')).not.toBeNull();
      await expect(store.copy('src.mov', 'taken.mov')).rejects.toMatchObject({ status: 409 });
      expect((await buffer(await store.read('taken.mov'))).toString()).toBe('other');
    });

    it('moves an object, and refuses to move over an existing one', async () => {
      const store = await makeStore();
      await store.write('from.mov', Buffer.from('moving'));
      await store.write('busy.mov', Buffer.from('stay'));
      await store.move('from.mov', 'to/here.mov');
      expect(await store.head('from.mov')).toBeNull();
      expect((await buffer(await store.read('to/here.mov'))).toString()).toBe('moving');
      await expect(store.move('to/here.mov', 'busy.mov')).rejects.toMatchObject({ status: 409 });
      expect((await buffer(await store.read('busy.mov'))).toString()).toBe('stay');
      await expect(store.move('missing.mov', 'x.mov')).rejects.toMatchObject({ status: 404 });
    });

    it('deletes objects and prefixes; a missing key is no error', async () => {
      const store = await makeStore();
      await store.write('x/1', Buffer.from('1'));
      await store.write('x/2', Buffer.from('2'));
      await store.write('y/1', Buffer.from('3'));
      await store.delete('x/1');
      await store.delete('x/1');
      expect(await store.head('x/1')).toBeNull();
      await store.deletePrefix('x/');
      expect(await store.head('x/2')).toBeNull();
      expect(await store.head('y/1')).not.toBeNull();
    });

    it('keeps empty folders, lists them, and deletes them', async () => {
      const store = await makeStore();
      await store.createFolder('Day 02/Cam B');
      const folders: string[] = [];
      for await (const f of store.listFolders('')) folders.push(f);
      expect(folders).toContain('Day 02/Cam B');
      const objects = (await store.list('')).objects.map((o) => o.key);
      expect(objects.some((k) => k.startsWith('Day 02/Cam B') && !k.endsWith('/'))).toBe(false);
      await store.deleteFolder('Day 02/Cam B');
      const after: string[] = [];
      for await (const f of store.listFolders('')) after.push(f);
      expect(after).not.toContain('Day 02/Cam B');
    });

    it('creates folders with their parents, lists below a prefix, and keeps folders that hold files', async () => {
      const store = await makeStore();
      await store.createFolder('Day 03/Cam C/Card 1');
      await store.write('Day 04/Cam D/D001.mov', Buffer.from('d'));
      const all: string[] = [];
      for await (const f of store.listFolders('')) all.push(f);
      expect(all.sort()).toEqual(['Day 03', 'Day 03/Cam C', 'Day 03/Cam C/Card 1', 'Day 04', 'Day 04/Cam D']);
      const below: string[] = [];
      for await (const f of store.listFolders('Day 03/Cam C')) below.push(f);
      expect(below).toEqual(['Day 03/Cam C/Card 1']);
      await expect(store.deleteFolder('Day 03')).rejects.toMatchObject({ status: 409 });
      await expect(store.deleteFolder('Day 04/Cam D')).rejects.toMatchObject({ status: 409 });
      await store.deleteFolder('Day 03/Cam C/Card 1');
      await store.deleteFolder('Day 03/Cam C/Card 1');
      expect(await store.head('Day 04/Cam D/D001.mov')).not.toBeNull();
    });

    it('moves into and out of the hidden trash', async () => {
      const store = await makeStore();
      await store.write('Day 01/A001.mov', Buffer.from('a'));
      await store.move('Day 01/A001.mov', '.dailies-trash/1234/A001.mov');
      expect((await store.list('')).objects).toEqual([]);
      const trashed: string[] = [];
      for await (const o of store.listAll('.dailies-trash/')) trashed.push(o.key);
      expect(trashed).toEqual(['.dailies-trash/1234/A001.mov']);
      await store.move('.dailies-trash/1234/A001.mov', 'Day 01/A001.mov');
      expect((await store.list('')).objects.map((o) => o.key)).toEqual(['Day 01/A001.mov']);
    });

    it('tells whether a folder exists, as a folder or by holding objects', async () => {
      const store = await makeStore();
      await store.createFolder('Day 05/Cam E');
      await store.write('Day 06/F001.mov', Buffer.from('f'));
      expect(await store.folderExists('Day 05/Cam E')).toBe(true);
      expect(await store.folderExists('Day 05')).toBe(true);
      expect(await store.folderExists('Day 06')).toBe(true);
      expect(await store.folderExists('Day 06/F001.mov')).toBe(false);
      expect(await store.folderExists('Day 07')).toBe(false);
      expect(await store.folderExists('Day 0')).toBe(false);
    });

    it('moves a folder with everything in it, and refuses to move onto an existing one', async () => {
      const store = await makeStore();
      await store.write('Day 01/Cam A/A001.mov', Buffer.from('a1'));
      await store.write('Day 01/Cam A/A002.mov', Buffer.from('a2'));
      await store.write('Day 01/notes.txt', Buffer.from('n'));
      await store.createFolder('Day 01/Empty');
      await store.write('Day 010/other.mov', Buffer.from('o'));
      await store.createFolder('Taken');
      const progress: number[] = [];
      await store.moveFolder('Day 01', 'Archive/Day 01', (done) => progress.push(done));
      expect((await store.list('')).objects.map((o) => o.key)).toEqual([
        'Archive/Day 01/Cam A/A001.mov',
        'Archive/Day 01/Cam A/A002.mov',
        'Archive/Day 01/notes.txt',
        'Day 010/other.mov',
      ]);
      expect((await buffer(await store.read('Archive/Day 01/Cam A/A002.mov'))).toString()).toBe('a2');
      expect(await store.folderExists('Day 01')).toBe(false);
      expect(await store.folderExists('Archive/Day 01/Empty')).toBe(true);
      expect(progress.every((n, i) => n === i + 1)).toBe(true);
      await expect(store.moveFolder('Archive/Day 01', 'Taken')).rejects.toMatchObject({ status: 409 });
      await expect(store.moveFolder('Archive/Day 01', 'Day 010')).rejects.toMatchObject({ status: 409 });
      await expect(store.moveFolder('Nowhere', 'Elsewhere')).rejects.toMatchObject({ status: 404 });
      expect(await store.folderExists('Archive/Day 01/Cam A')).toBe(true);
    });

    it('hides Dailies own prefixes from listings', async () => {
      const store = await makeStore();
      await store.write('.dailies-trash/abc/clip.mov', Buffer.from('t'));
      await store.write('clip.mov', Buffer.from('c'));
      const keys = (await store.list('')).objects.map((o) => o.key);
      expect(keys).toEqual(['clip.mov']);
      expect(await store.head('.dailies-trash/abc/clip.mov')).not.toBeNull();
    });

    it('handles unicode and spaces in keys', async () => {
      const store = await makeStore();
      const key = 'Tag 3/Kamera Ü/ünïcödé clip #1.mov';
      await store.write(key, Buffer.from('u'));
      expect((await store.head(key))?.size).toBe(1);
      expect((await store.list('Tag 3/')).objects.map((o) => o.key)).toEqual([key]);
    });

    it('passes its own check', async () => {
      const store = await makeStore();
      await expect(store.check()).resolves.toBeUndefined();
    });
  });
}

function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}
