import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../src/adapters/storage/fs-object-store.js';
import { objectStoreContract } from './object-store.contract.js';

// Real: a temporary directory on the local disk.
const makeStore = async () => new FsObjectStore(await mkdtemp(join(tmpdir(), 'dailies-fs-store-')));

objectStoreContract('fs', makeStore);

describe('FsObjectStore (fs only)', () => {
  it('refuses keys that would leave the root', async () => {
    const store = await makeStore();
    await expect(store.write('../escape.txt', Buffer.from('x'))).rejects.toMatchObject({ status: 400 });
    expect(() => store.localPath('a/../../b')).toThrow(/leave the store/);
  });
});
