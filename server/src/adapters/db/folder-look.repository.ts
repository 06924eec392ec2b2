import type { Kysely } from 'kysely';
import type { FolderLook, FolderLookRepository } from '../../ports/looks.js';
import type { Database } from './database.js';

export class KyselyFolderLookRepository implements FolderLookRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async getMany(folderIds: string[]): Promise<FolderLook[]> {
    if (folderIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('folderLooks')
      .selectAll()
      .where('folderId', 'in', folderIds)
      .execute();
    return rows.map((row) => ({
      folderId: row.folderId,
      lut:
        row.lutCube !== null && row.lutName !== null && row.lutDigest !== null
          ? {
              name: row.lutName,
              dimensions: Number(row.lutDimensions) === 1 ? 1 : 3,
              size: Number(row.lutSize),
              digest: row.lutDigest,
              cube: row.lutCube,
            }
          : null,
      burnIn: {
        clipName: Number(row.burnInClipName) === 1,
        timecode: Number(row.burnInTimecode) === 1,
        frameCounter: Number(row.burnInFrameCounter) === 1,
      },
      updatedAt: Number(row.updatedAt),
      updatedBy: row.updatedBy,
    }));
  }

  async put(look: FolderLook): Promise<void> {
    const values = {
      lutName: look.lut?.name ?? null,
      lutDimensions: look.lut?.dimensions ?? null,
      lutSize: look.lut?.size ?? null,
      lutDigest: look.lut?.digest ?? null,
      lutCube: look.lut?.cube ?? null,
      burnInClipName: look.burnIn.clipName ? 1 : 0,
      burnInTimecode: look.burnIn.timecode ? 1 : 0,
      burnInFrameCounter: look.burnIn.frameCounter ? 1 : 0,
      updatedAt: look.updatedAt,
      updatedBy: look.updatedBy,
    };
    await this.db
      .insertInto('folderLooks')
      .values({ folderId: look.folderId, ...values })
      .onConflict((c) => c.column('folderId').doUpdateSet(values))
      .execute();
  }

  async delete(folderId: string): Promise<void> {
    await this.db.deleteFrom('folderLooks').where('folderId', '=', folderId).execute();
  }

  async withLooks(folderIds: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < folderIds.length; i += 1000) {
      const rows = await this.db
        .selectFrom('folderLooks')
        .select('folderId')
        .where('folderId', 'in', folderIds.slice(i, i + 1000))
        .execute();
      for (const row of rows) out.add(row.folderId);
    }
    return out;
  }
}
