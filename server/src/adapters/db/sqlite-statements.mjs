// Prepared statements of one SQLite connection, kept by their SQL. Preparing compiles the
// statement and every trigger it fires: on the main connection an asset update compiled the
// storage sums' triggers again each time (44 → 94 µs per update), and on a reader thread
// preparing a small page's query cost as much as running it. Plain JavaScript so the reader
// threads (which get no TypeScript loader) share it with the main thread.

/** How many distinct statements a connection keeps; the least recently used go first. */
export const STATEMENTS_KEPT = 500;

/**
 * `database` with a `prepare` that hands back the statement prepared before for the same SQL.
 * A statement still being iterated (a stream) is busy; asking for its SQL again then prepares
 * a fresh one rather than disturbing it.
 */
export function keepingStatements(database, kept = STATEMENTS_KEPT) {
  const statements = new Map();
  return {
    prepare(sql) {
      let found = statements.get(sql);
      if (found?.busy) return database.prepare(sql);
      if (found)
        statements.delete(sql); // most recently used last
      else {
        found = database.prepare(sql);
        if (statements.size >= kept) statements.delete(statements.keys().next().value);
      }
      statements.set(sql, found);
      return found;
    },
    close() {
      statements.clear();
      database.close();
    },
  };
}
