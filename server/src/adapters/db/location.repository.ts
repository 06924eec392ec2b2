import type { Kysely } from 'kysely';
import type { AssetLocation, LocationRepository } from '../../ports/volume.js';
import type { AssetLocationTable, Database } from './database.js';

/** A row as the port gives it: a sequence's frames parsed, no `frames` key for a one-file copy. */
function fromRow(row: AssetLocationTable): AssetLocation {
  const { frames, ...rest } = row;
  return frames === null ? rest : { ...rest, frames: JSON.parse(frames) };
}

function framesColumn(frames: AssetLocation['frames']): string | null {
  return frames ? JSON.stringify(frames) : null;
}

export class KyselyLocationRepository implements LocationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(assetId: string, volumeId: string): Promise<AssetLocation | null> {
    const row = await this.db
      .selectFrom('assetLocations')
      .selectAll()
      .where('assetId', '=', assetId)
      .where('volumeId', '=', volumeId)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
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
          .execute()
          .then((rows) => rows.map(fromRow))),
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
          .execute()
          .then((rows) => rows.map(fromRow))),
      );
    }
    return out;
  }

  async page(volumeId: string, afterAssetId: string | null, limit: number): Promise<AssetLocation[]> {
    let query = this.db.selectFrom('assetLocations').selectAll().where('volumeId', '=', volumeId);
    if (afterAssetId) query = query.where('assetId', '>', afterAssetId);
    return (await query.orderBy('assetId').limit(limit).execute()).map(fromRow);
  }

  async put(location: AssetLocation): Promise<void> {
    const row = { ...location, frames: framesColumn(location.frames) };
    const { assetId, volumeId, ...rest } = row;
    await this.db
      .insertInto('assetLocations')
      .values(row)
      .onConflict((oc) => oc.columns(['assetId', 'volumeId']).doUpdateSet(rest))
      .execute();
  }

  async update(
    assetId: string,
    volumeId: string,
    patch: Partial<Pick<AssetLocation, 'size' | 'mtime' | 'state' | 'xxh64' | 'frames'>>,
  ): Promise<void> {
    const { frames, ...rest } = patch;
    await this.db
      .updateTable('assetLocations')
      .set(frames === undefined ? rest : { ...rest, frames: framesColumn(frames) })
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
