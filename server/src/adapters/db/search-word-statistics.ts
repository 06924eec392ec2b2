import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';
import { type DialectName, INDEXED_PREFIX } from './dialect.js';

/**
 * A word on at least this share of the search rows is checked on the rows the other words
 * found instead of being looked up in PostgreSQL's word index. GIN decodes a word's whole
 * posting list to intersect it: `shoot day 034 cam` (`shoot` and `day` on every asset,
 * `cam` on 40%) took 40–60 ms over 1,000,000 assets, of which `034` alone (1.3%) found
 * 12,000 rows in 5 ms and checking the other three words on them cost 1–2 ms more.
 * Below this share a word still narrows enough to pay for its list (`scene 4 take`: each
 * word on 10–13% but together on 4%, and checking `4` on the 100,000 rows of the other
 * two was three times slower than intersecting all three).
 */
export const COMMON_WORD_SHARE = 0.3;

/** How long the statistics are trusted before being read again (ANALYZE changes them). */
const TTL_MS = 5 * 60_000;

/** The words that find the rows (through the index) and those only checked on them. */
export interface WordPlan {
  driving: string[];
  checked: string[];
}

/**
 * Which words drive: the rarest always (something must find the rows), then every word
 * below COMMON_WORD_SHARE. `shareOf` gives a word's share of the rows, 0 when unknown.
 */
export function planWords(words: string[], shareOf: (word: string) => number): WordPlan {
  const byShare = [...words].sort((a, b) => shareOf(a) - shareOf(b));
  const driving = byShare.filter((word, i) => i === 0 || shareOf(word) < COMMON_WORD_SHARE);
  return { driving, checked: byShare.filter((word) => !driving.includes(word)) };
}

/**
 * The share of search rows holding each indexed word, from PostgreSQL's own statistics of
 * the search documents (`pg_stats.most_common_elems`: the lexemes on more than about 0.4%
 * of the rows ANALYZE sampled). A word missing from them is rare. SQLite's FTS5 intersects
 * its posting lists by skipping through them, so every word drives there.
 */
export class SearchWordStatistics {
  private shares: Promise<Map<string, number>> | null = null;
  private readAt = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  async plan(words: string[]): Promise<WordPlan> {
    if (this.dialect === 'sqlite' || words.length < 2) return { driving: words, checked: [] };
    const shares = await this.current();
    // A word longer than the indexed prefixes is matched against whole words by prefix: rare.
    return planWords(words, (word) => ([...word].length <= INDEXED_PREFIX ? (shares.get(word) ?? 0) : 0));
  }

  private current(): Promise<Map<string, number>> {
    if (!this.shares || Date.now() - this.readAt > TTL_MS) {
      this.readAt = Date.now();
      this.shares = this.read().catch((error) => {
        this.shares = null;
        throw error;
      });
    }
    return this.shares;
  }

  private async read(): Promise<Map<string, number>> {
    const { rows } = await sql<{ words: string[] | null; shares: number[] | null }>`
      select most_common_elems::text::text[] as words, most_common_elem_freqs as shares
      from pg_stats
      where schemaname = current_schema() and tablename = 'asset_search' and attname = 'document'`.execute(
      this.db,
    );
    const { words, shares } = rows[0] ?? { words: null, shares: null };
    // The frequencies end with the least and the greatest of them, after one per word.
    return new Map((words ?? []).map((word, i) => [word, Number(shares?.[i] ?? 0)]));
  }
}
