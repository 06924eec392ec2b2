import { sql } from 'kysely';

/**
 * Folder paths are compared exactly, byte for byte, on every catalog. `LIKE` is not used on
 * paths: SQLite's ignores ASCII case (so `/day_02` matched `/Day_02/CamA`) and PostgreSQL's
 * does not, and `%`, `_` and the escape character are legal in folder names. A prefix is
 * instead compared with `substr`, which both SQLite and PostgreSQL count in characters (code
 * points) and compare with `=` (binary on SQLite; byte equality on PostgreSQL's deterministic
 * collations), so the two catalogs give the same answer. The folders of one catalog are few;
 * neither form could use an index on SQLite, so nothing is lost.
 */

/** Characters as SQL's `length`/`substr` count them (JavaScript's `length` counts UTF-16 units). */
export function sqlLength(text: string): number {
  return [...text].length;
}

/** `column` holds a path strictly below `folder` (`/Day` is not below `/Da`, nor `/Day 2` below `/Day`). */
export function pathBelow(column: string, folder: string) {
  const prefix = folder === '/' ? '/' : `${folder}/`;
  return sql<boolean>`substr(${sql.ref(column)}, 1, ${sqlLength(prefix)}) = ${prefix} and ${sql.ref(column)} <> ${folder}`;
}

/** `column` holds `folder` or a path below it. */
export function pathWithin(column: string, folder: string) {
  if (folder === '/') return sql<boolean>`1 = 1`;
  const prefix = `${folder}/`;
  return sql<boolean>`(${sql.ref(column)} = ${folder} or substr(${sql.ref(column)}, 1, ${sqlLength(prefix)}) = ${prefix})`;
}

/** The part of `column` after `folder` (its subtree's paths keep what follows, `/B` of `/A/B`). */
export function pathAfter(column: string, folder: string) {
  return sql<string>`substr(${sql.ref(column)}, ${sqlLength(folder) + 1})`;
}
