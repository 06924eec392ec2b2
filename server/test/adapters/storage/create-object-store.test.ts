import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createObjectStore, parseStoreUrl } from '../../../src/adapters/storage/create-object-store.js';
import { FsObjectStore } from '../../../src/adapters/storage/fs-object-store.js';
import { S3ObjectStore } from '../../../src/adapters/storage/s3-object-store.js';
import { attachmentDisposition } from '../../../src/lib/content-disposition.js';

// Pure: no store is contacted.
describe('parseStoreUrl', () => {
  it('reads directories, file URLs and s3 locations', () => {
    expect(parseStoreUrl('/srv/lake')).toEqual({ kind: 'fs', root: '/srv/lake' });
    expect(parseStoreUrl('data/lake')).toEqual({ kind: 'fs', root: resolve('data/lake') });
    expect(parseStoreUrl('file:///srv/my%20lake')).toEqual({ kind: 'fs', root: '/srv/my lake' });
    expect(parseStoreUrl('s3://footage')).toEqual({ kind: 's3', bucket: 'footage', prefix: '' });
    expect(parseStoreUrl('s3://footage/')).toEqual({ kind: 's3', bucket: 'footage', prefix: '' });
    expect(parseStoreUrl('s3://footage/show/lake/')).toEqual({
      kind: 's3',
      bucket: 'footage',
      prefix: 'show/lake',
    });
    expect(parseStoreUrl('  s3://footage/lake  ')).toEqual({ kind: 's3', bucket: 'footage', prefix: 'lake' });
  });

  it('refuses what it cannot use, saying why', () => {
    expect(() => parseStoreUrl('   ')).toThrow(/empty/);
    expect(() => parseStoreUrl('s3://')).toThrow(/names no bucket/);
    expect(() => parseStoreUrl('s3://My Bucket/x')).toThrow(/"My Bucket" is not a valid bucket name/);
    expect(() => parseStoreUrl('s3://ab')).toThrow(/not a valid bucket name/);
    expect(() => parseStoreUrl('s3://footage/a//b')).toThrow(/empty, "." or ".."/);
    expect(() => parseStoreUrl('s3://footage/../b')).toThrow(/empty, "." or ".."/);
    expect(() => parseStoreUrl('s3:footage')).toThrow(/s3:\/\/bucket/);
    expect(() => parseStoreUrl('https://example.com/lake')).toThrow(/not a storage location/);
    expect(() => parseStoreUrl('s3://footage/x')).not.toThrow();
  });
});

describe('createObjectStore', () => {
  it('builds the store the location names', () => {
    expect(createObjectStore('/tmp/lake')).toBeInstanceOf(FsObjectStore);
    const s3 = createObjectStore('s3://footage/lake', {
      s3: { endpoint: 'http://127.0.0.1:9000', forcePathStyle: true },
    });
    expect(s3).toBeInstanceOf(S3ObjectStore);
    expect(s3.describe()).toBe('s3://footage/lake');
    expect((s3 as S3ObjectStore).location()).toEqual({ kind: 's3', bucket: 'footage', prefix: 'lake' });
  });
});

describe('attachmentDisposition', () => {
  it('gives an ASCII name and the exact UTF-8 name', () => {
    expect(attachmentDisposition('A001.mov')).toBe(
      `attachment; filename="A001.mov"; filename*=UTF-8''A001.mov`,
    );
    expect(attachmentDisposition('Szene "1" (Ü).mov')).toBe(
      `attachment; filename="Szene _1_ (_).mov"; filename*=UTF-8''Szene%20%221%22%20%28%C3%9C%29.mov`,
    );
  });
});
