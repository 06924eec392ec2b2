import type { Kysely } from 'kysely';
import type { AssetLocation, LocationRepository } from '../../ports/volume.js';
import type { Database } from './database.js';

export class KyselyLocationRepository implements LocationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(assetId: string, volumeId: string): Promise<AssetLocation | null> {
    const row = await this.db
      .selectFrom('assetLocations')
      .selectAll()
      .where('assetId', '=', assetId)
      .where('volumeId', '=', volumeId)
      .executeTakeFirst();
    return row ?? null;
  }

  async forAssets(assetIds: string[]): Promise<AssetLocation[]> {
    if (assetIds.length === 0) return [];
    const out: AssetLocation[] = [];
    // Chunks stay under SQLite's bound-parameter limit.
    for (let i = 0; i < assetIds.length; i += 500) {
      out.push(
        ...(await this.db
          .selectFrom('assetLocations')
          .selectAll()
          .where('assetId', 'in', assetIds.slice(i, i + 500))
          .execute()),
      );
    }
    return out;
  }

  async atPaths(volumeId: string, paths: string[]): Promise<AssetLocation[]> {
    const out: AssetLocation[] = [];
    const unique = [...new Set(paths)];
    // Chunks stay under SQLite's bound-parameter limit.
    for (let i = 0; i < unique.length; i += 500) {
      out.push(
        ...(await this.db
          .selectFrom('assetLocations')
          .selectAll()
          .where('volumeId', '=', volumeId)
          .where('path', 'in', unique.slice(i, i + 500))
          .execute()),
      );
    }
    return out;
  }

  async page(volumeId: string, afterAssetId: string | null, limit: number): Promise<AssetLocation[]> {
    let query = this.db.selectFrom('assetLocations').selectAll().where('volumeId', '=', volumeId);
    if (afterAssetId) query = query.where('assetId', '>', afterAssetId);
    return query.orderBy('assetId').limit(limit).execute();
  }

  async put(location: AssetLocation): Promise<void> {
    const { assetId, volumeId, ...rest } = location;
    await this.db
      .insertInto('assetLocations')
      .values(location)
      .onConflict((oc) => oc.columns(['assetId', 'volumeId']).doUpdateSet(rest))
      .execute();
  }

  async update(
    assetId: string,
    volumeId: string,
    patch: Partial<Pick<AssetLocation, 'size' | 'mtime' | 'state' | 'xxh64'>>,
  ): Promise<void> {
    await this.db
      .updateTable('assetLocations')
      .set(patch)
      .where('assetId', '=', assetId)
      .where('volumeId', '=', volumeId)
      .execute();
  }

  async delete(assetId: string, volumeId: string): Promise<void> {
    await this.db
      .deleteFrom('assetLocations')
      .where('assetId', '=', assetId)
      .where('volumeId', '=', volumeId)
      .execute();
  }
}
