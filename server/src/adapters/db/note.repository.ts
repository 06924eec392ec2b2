import type { Kysely } from 'kysely';
import type { Note, NotePatch, NoteRepository } from '../../ports/notes.js';
import type { Database } from './database.js';

/** Chunks stay under SQLite's bound-parameter limit. */
const CHUNK = 500;

export class KyselyNoteRepository implements NoteRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(note: Note): Promise<void> {
    await this.db.insertInto('assetNotes').values(note).execute();
  }

  async get(id: string): Promise<Note | null> {
    const row = await this.db.selectFrom('assetNotes').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toNote(row) : null;
  }

  async forAssets(assetIds: string[]): Promise<Note[]> {
    const unique = [...new Set(assetIds)];
    const out: Note[] = [];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('assetNotes')
        .selectAll()
        .where('assetId', 'in', unique.slice(i, i + CHUNK))
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      out.push(...rows.map(toNote));
    }
    // Chunks each come sorted; the whole answer is too.
    return unique.length > CHUNK
      ? out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      : out;
  }

  async update(id: string, patch: NotePatch): Promise<boolean> {
    const result = await this.db.updateTable('assetNotes').set(patch).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('assetNotes').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async forget(assetIds: string[]): Promise<void> {
    for (let i = 0; i < assetIds.length; i += CHUNK) {
      await this.db
        .deleteFrom('assetNotes')
        .where('assetId', 'in', assetIds.slice(i, i + CHUNK))
        .execute();
    }
  }
}

// bigint columns come back as strings from some drivers; every number here is below 2^53.
function toNote(row: Note): Note {
  return {
    ...row,
    frame: row.frame === null ? null : Number(row.frame),
    endFrame: row.endFrame === null ? null : Number(row.endFrame),
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
  };
}
