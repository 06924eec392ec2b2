import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kyselyCatalog } from '../../src/adapters/db/catalog.js';
import { up } from '../../src/adapters/db/migrations/2026-12-03T0830-display-geometry.js';
import { newAsset } from '../../src/features/assets/asset-factory.js';
import { migratedDatabase } from '../support/migrated-catalog.js';
import { testDatabaseUrl } from '../support/services.js';

// Real: SQLite in memory and a fresh PostgreSQL database; records shaped as they were stored
// before display geometry existed.

const phoneStream = {
  index: 0,
  codec_type: 'video',
  codec_name: 'hevc',
  width: 1920,
  height: 1080,
  sample_aspect_ratio: '1:1',
  display_aspect_ratio: '16:9',
  r_frame_rate: '30/1',
  avg_frame_rate: '30/1',
  side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }],
};
const oldVideo = {
  index: 0,
  codec: 'hevc',
  width: 1920,
  height: 1080,
  displayAspectRatio: '16:9',
  displayAspect: 1.778,
};

for (const label of ['sqlite', 'postgres'] as const) {
  describe(`display-geometry migration on ${label}`, () => {
    it('lists an already probed phone clip 1080×1920 and leaves others and odd rows alone', async () => {
      const db = await migratedDatabase(label === 'postgres' ? await testDatabaseUrl() : undefined);
      const catalog = kyselyCatalog(db);
      const root = {
        id: randomUUID(),
        path: '/',
        parentId: null,
        name: '',
        createdBy: null,
        createdAt: 1,
        updatedAt: 1,
      };
      await catalog.folders.insert(root, ['admin']);
      const make = async (name: string, ffprobe: unknown, record: unknown) => {
        const asset = {
          ...newAsset({ key: name, size: 1, etag: 'e', mtime: 1 }, root.id, name, 1),
          width: 1920,
          height: 1080,
          kind: 'video' as const,
        };
        await catalog.assets.insert(asset);
        await catalog.processing.saveMetadata({
          assetId: asset.id,
          etag: 'e',
          record: record as never,
          raw: { ffprobe, mediainfo: { media: { track: [{ '@type': 'General' }] } } },
          probedAt: 1,
        });
        return asset.id;
      };
      const base = { kind: 'video', general: {}, audio: [], image: null };
      const phone = await make(
        'IMG_0001.MOV',
        { format: { format_name: 'mov,mp4' }, streams: [phoneStream] },
        { ...base, video: [oldVideo] },
      );
      const flat = await make(
        'A001.mov',
        { format: { format_name: 'mov,mp4' }, streams: [{ ...phoneStream, side_data_list: undefined }] },
        { ...base, video: [oldVideo] },
      );
      const broken = await make('odd.mov', { error: 'unreadable' }, { ...base, video: [oldVideo] });

      await up(db);
      await up(db); // again: a second run changes nothing

      expect(await catalog.assets.get(phone)).toMatchObject({ width: 1080, height: 1920 });
      expect((await catalog.processing.getMetadata(phone))?.record.video[0]).toMatchObject({
        codec: 'hevc',
        width: 1920,
        rotation: 90,
        displayWidth: 1080,
        displayHeight: 1920,
        displayAspectRatio: '9:16',
      });
      expect(await catalog.assets.get(flat)).toMatchObject({ width: 1920, height: 1080 });
      expect((await catalog.processing.getMetadata(flat))?.record.video[0]).toMatchObject({
        rotation: 0,
        displayWidth: 1920,
      });
      expect(await catalog.assets.get(broken)).toMatchObject({ width: 1920, height: 1080 });
    });
  });
}
